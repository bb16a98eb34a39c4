using System.Net.Sockets;
using System.Text;

namespace Tend.Daemon.Tests.Support;

/// <summary>A NOTIFY_SOCKET as systemd opens it: a Unix datagram socket the test reads what the daemon says from.</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    /// <param name="path">A file path, or an abstract name starting with '@' as systemd writes it.</param>
    public NotifySocket(string path)
    {
        Address = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path[0] == '@' ? $"\0{path[1..]}" : path));
    }

    /// <summary>What goes into NOTIFY_SOCKET.</summary>
    public string Address { get; }

    /// <summary>The next datagram, or null when none came within <paramref name="wait"/> (real time: the datagrams come from real sockets).</summary>
    public async Task<string?> ReceiveAsync(TimeSpan wait)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(wait);
        var buffer = new byte[4096];
        try
        {
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Datagrams until one contains <paramref name="text"/>, all of them in order; throws when none does within <paramref name="wait"/>.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string text, TimeSpan wait)
    {
        var seen = new List<string>();
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < wait)
        {
            if (await ReceiveAsync(wait - TimeProvider.System.GetElapsedTime(started)) is { } message)
            {
                seen.Add(message);
                if (message.Contains(text, StringComparison.Ordinal))
                {
                    return seen;
                }
            }
        }

        throw new TimeoutException($"no message with {text} within {wait}; got: {string.Join(" | ", seen)}");
    }

    public void Dispose() => _socket.Dispose();
}
