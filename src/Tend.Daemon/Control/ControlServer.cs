using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tend.Daemon.Control;

/// <summary>
/// The daemon's only door: a Unix socket in the user's private state directory, mode 0600, the
/// caller's uid checked on every connection. Nothing listens on TCP.
/// </summary>
public sealed class ControlServer(string socketPath, Func<ControlRequest, CancellationToken, Task<ControlResponse>> handle) : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public void Bind()
    {
        if (File.Exists(socketPath))
        {
            // Only called with the daemon lock held: a socket file now is a dead daemon's.
            File.Delete(socketPath);
        }

        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(64);
    }

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeOneAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeOneAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            ControlResponse response;
            var peer = PeerCredentials.Of(client);
            if (peer is not { } caller || caller.Uid != PeerCredentials.CurrentUid)
            {
                response = new ControlResponse(false, "refused: only the user who runs the daemon may control it");
            }
            else
            {
                response = await ReadAndHandleAsync(stream, cancellationToken);
            }

            try
            {
                // Not the daemon's token: the answer to `shutdown` is written after shutdown began.
                await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(response, ControlJson.Default.ControlResponse), CancellationToken.None);
                await stream.WriteAsync("\n"u8.ToArray(), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client gave up waiting; nothing to tell.
            }
        }
    }

    private async Task<ControlResponse> ReadAndHandleAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null || JsonSerializer.Deserialize(line, ControlJson.Default.ControlRequest) is not { } request)
            {
                return new ControlResponse(false, "empty request");
            }

            return await handle(request, cancellationToken);
        }
        catch (JsonException e)
        {
            return new ControlResponse(false, $"malformed request: {e.Message}");
        }
    }

    public void Dispose() => _listener.Dispose();
}
