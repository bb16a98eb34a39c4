using Tend.Core.Checks.Kinds;
using Tend.Core.Model;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// The ports a component serves: that of its own health check when the check looks at this host,
/// and those its pre-flight checks want free (<c>port-free</c>), which is how a stack file says
/// "I listen here".
/// </summary>
internal static class ComponentPorts
{
    public static IReadOnlyList<int> Of(Component component)
    {
        var ports = new List<int>();
        if (component.Health?.Check is { } check && LocalPort(check) is { } port)
        {
            ports.Add(port);
        }

        ports.AddRange(component.Preflight.OfType<PortFreeCheck>().Select(p => p.Endpoint.Port));
        return [.. ports.Distinct()];
    }

    /// <summary>The port a check looks at on this host; null when it looks elsewhere or at no port.</summary>
    public static int? LocalPort(CheckSpec check) => check switch
    {
        HttpCheck http when IsLocal(http.Url.Host) => http.Url.Port,
        TcpCheck tcp when IsLocal(tcp.Endpoint.Host) => tcp.Endpoint.Port,
        PostgresCheck pg when IsLocal(pg.Server.Host) => pg.Server.Port,
        RedisCheck redis when IsLocal(redis.Host) => redis.Port,
        EtcdCheck etcd when IsLocal(etcd.Endpoint.Host) => etcd.Endpoint.Port,
        _ => null,
    };

    /// <summary>The host a check looks at; null for kinds that look at no host.</summary>
    public static string? Host(CheckSpec check) => check switch
    {
        HttpCheck http => http.Url.Host,
        TcpCheck tcp => tcp.Endpoint.Host,
        PostgresCheck pg => pg.Server.Host,
        RedisCheck redis => redis.Host,
        EtcdCheck etcd => etcd.Endpoint.Host,
        _ => null,
    };

    public static bool IsLocal(string host) => host.Trim('[', ']') is "127.0.0.1" or "localhost" or "::1" or "0.0.0.0" or "::" || host.StartsWith("127.", StringComparison.Ordinal);

    /// <summary>A host a cluster can resolve by DNS as it is: a name, not an address and not this host.</summary>
    public static bool IsDnsName(string host) => !IsLocal(host) && !System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _);
}
