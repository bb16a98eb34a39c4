using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Tend.Daemon.Hosting;

/// <summary>
/// sd_notify(3) by hand: one datagram of <c>KEY=VALUE</c> lines to the Unix socket systemd named in
/// NOTIFY_SOCKET (a path, or an abstract name when it starts with <c>@</c>). It is a dozen lines over
/// System.Net.Sockets; the packages that wrap libsystemd's sd_notify P/Invoke a library that may
/// not be installed, or use reflection that Native AOT trims away. A send that fails is dropped:
/// systemd's own watchdog is the judge of a daemon that stops getting through.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    /// <summary>What systemd gives its service about the protocol; the daemon takes them out of its environment so that no child of the stack inherits them.</summary>
    public static readonly IReadOnlyList<string> Variables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _target;

    private SystemdNotify(UnixDomainSocketEndPoint target, TimeSpan? watchdogInterval)
    {
        _target = target;
        WatchdogInterval = watchdogInterval;
    }

    /// <summary>How often to send WATCHDOG=1: half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; null when no watchdog is asked of this process.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>The notifier NOTIFY_SOCKET asks for; null when there is none (not a Type=notify service) or it is not a socket address.</summary>
    /// <param name="pid">This process: a WATCHDOG_PID of another process (a parent that kept the variables) means the watchdog is not ours.</param>
    public static SystemdNotify? FromEnvironment(Func<string, string?> environment, int pid)
    {
        if (environment("NOTIFY_SOCKET") is not { Length: > 1 } socket || socket[0] is not ('/' or '@'))
        {
            return null;
        }

        // An abstract socket's name starts with a NUL byte; systemd spells it with '@'.
        var target = new UnixDomainSocketEndPoint(socket[0] == '@' ? $"\0{socket[1..]}" : socket);
        TimeSpan? interval = null;
        var forUs = environment("WATCHDOG_PID") is not { Length: > 0 } owner || (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid) && ownerPid == pid);
        if (forUs && long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            interval = TimeSpan.FromMicroseconds(usec / 2.0);
        }

        return new SystemdNotify(target, interval);
    }

    /// <summary>Sends one message (lines such as <c>READY=1\nSTATUS=5 up</c>); false when it did not get through.</summary>
    public bool Send(string state)
    {
        try
        {
            return _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _target) > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
