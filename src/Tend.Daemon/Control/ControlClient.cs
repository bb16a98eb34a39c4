using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tend.Daemon.Control;

/// <summary>Talks to a stack's daemon over its Unix socket: one request, one response, per connection.</summary>
public sealed class ControlClient(string socketPath)
{
    /// <summary>Null when no daemon answers (no socket, or a stale one).</summary>
    public async Task<ControlResponse?> TrySendAsync(ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
        }
        catch (SocketException)
        {
            // A socket file with nobody behind it: a daemon that died without cleaning up.
            return null;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, ControlJson.Default.ControlRequest);
        await stream.WriteAsync(payload, deadline.Token);
        await stream.WriteAsync("\n"u8.ToArray(), deadline.Token);
        socket.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(deadline.Token);
        return line is null ? null : JsonSerializer.Deserialize(line, ControlJson.Default.ControlResponse);
    }
}
