using System.Globalization;
using System.Net;

namespace Tend.Core.Model;

/// <summary>
/// The daemon's HTTP face (<c>[http]</c>): where it listens, and whether a non-loopback address is
/// allowed. Off unless the stack file has <c>[http]</c> or <c>tend up --http</c> / <c>tend dashboard</c>
/// asks for it.
/// </summary>
public sealed record HttpSettings(string Host, int Port, bool AllowRemote)
{
    public static HttpSettings Default { get; } = new("127.0.0.1", 7380, AllowRemote: false);

    /// <summary>Only this host can reach it: a loopback address, or <c>localhost</c>.</summary>
    public bool IsLoopback => IsLoopbackHost(Host);

    /// <summary><c>host:port</c>, brackets around an IPv6 address.</summary>
    public string Listen => Format(Host);

    /// <summary>The address as a browser types it (a wildcard address through loopback).</summary>
    public string Url => $"http://{Format(Host switch { "0.0.0.0" => "127.0.0.1", "::" => "::1", var host => host })}/";

    /// <summary>An address Kestrel binds as written: an IP address, or <c>localhost</c> (no name to look up).</summary>
    public static bool IsLiteralHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out _);

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private string Format(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
