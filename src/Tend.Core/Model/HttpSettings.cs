using System.Net;
using Tend.Core.Checks;

namespace Tend.Core.Model;

/// <summary>
/// The daemon's HTTP face (<c>[http]</c>): where it listens, and whether a non-loopback address is
/// allowed. Off unless the stack file has <c>[http]</c> or <c>tend up --http</c> / <c>tend dashboard</c>
/// asks for it.
/// </summary>
public sealed record HttpSettings(Endpoint Listen, bool AllowRemote)
{
    public static readonly Endpoint DefaultListen = new("127.0.0.1", 7380);

    public static HttpSettings Default { get; } = new(DefaultListen, AllowRemote: false);

    /// <summary>Only this host can reach it: a loopback address, or <c>localhost</c>.</summary>
    public bool IsLoopback => IsLoopbackHost(Listen.Host);

    /// <summary>The address as a browser types it.</summary>
    public string Url => $"http://{new Endpoint(Listen.Host switch { "0.0.0.0" => "127.0.0.1", "::" => "::1", var host => host }, Listen.Port)}/";

    /// <summary>An address Kestrel binds as written: an IP address, or <c>localhost</c> (no name to look up).</summary>
    public static bool IsLiteralHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out _);

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
