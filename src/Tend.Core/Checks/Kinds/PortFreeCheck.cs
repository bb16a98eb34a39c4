using System.Globalization;
using System.Net;
using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Core.Checks.Kinds;

/// <summary>Nothing listens on a port a component is about to bind; when taken, names the holder from /proc.</summary>
public sealed record PortFreeCheck(Endpoint Endpoint, bool AnyAddress) : CheckSpec
{
    public static readonly CheckKind Definition = new("port-free", "nothing else listens on a port", TimeSpan.FromSeconds(2), CheckValueForms.String | CheckValueForms.Integer, [], Create);

    public override string Kind => "port-free";

    public override string Target => AnyAddress ? $"port {Endpoint.Port}" : Endpoint.ToString();

    private static PortFreeCheck? Create(CheckArguments arguments)
    {
        if (arguments.Value is long port and > 0 and < 65536)
        {
            return new PortFreeCheck(new Endpoint("0.0.0.0", (int)port), AnyAddress: true);
        }

        if (arguments.Value is string text && Endpoint.TryParse(text, "0.0.0.0", out var endpoint))
        {
            var bare = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            return new PortFreeCheck(endpoint, AnyAddress: bare);
        }

        arguments.Error($"{arguments.What} must be a port number or \"host:port\"");
        return null;
    }

    public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var port = Endpoint.Port.ToString(CultureInfo.InvariantCulture);
        var clashing = ProcNet.Listeners(Endpoint.Port).Where(Clashes).ToList();
        if (clashing.Count == 0)
        {
            return Task.FromResult(CheckOutcome.Pass($"port {port} is free").WithData(("port", port)));
        }

        var listener = clashing[0];
        var holder = ProcNet.FindHolder(listener.Inode);
        var where = $"{FormatAddress(listener.Address)}:{port}";
        if (holder is null)
        {
            return Task.FromResult(CheckOutcome.Fail("taken", $"port {port} is already in use", $"{where} is held by a process of uid {listener.Uid} that this user cannot see")
                .WithData(("port", port), ("uid", listener.Uid.ToString(CultureInfo.InvariantCulture))));
        }

        var pid = holder.Pid.ToString(CultureInfo.InvariantCulture);
        return Task.FromResult(CheckOutcome.Fail("taken", $"port {port} held by pid {pid} ({holder.Program})", $"{where} is held by pid {pid} ({holder.Program}): {holder.CommandLine}")
            .WithData(("port", port), ("pid", pid), ("program", holder.Program), ("command_line", holder.CommandLine)));
    }

    /// <summary>A listener on the wildcard address clashes with any bind to its port, and the reverse.</summary>
    private bool Clashes(ListeningSocket listener)
    {
        if (AnyAddress || IsWildcard(listener.Address))
        {
            return true;
        }

        return IPAddress.TryParse(Endpoint.Host, out var wanted) && (IsWildcard(wanted) || Same(wanted, listener.Address));
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

    private static string FormatAddress(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? $"[{address}]" : address.ToString();
}
