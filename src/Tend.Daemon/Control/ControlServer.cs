using System.Net.Sockets;

namespace Tend.Daemon.Control;

/// <summary>
/// The daemon's only door: a Unix socket in the user's private state directory, mode 0600, the
/// caller's uid checked on every connection. Nothing listens on TCP. Each connection speaks the
/// control protocol (<see cref="ControlConnection"/>) to <see cref="StackControl"/>.
/// </summary>
public sealed class ControlServer(string socketPath, StackControl control, TimeProvider time) : IDisposable
{
    /// <summary>After a failed accept (out of file descriptors, say), the next try waits this long: the loop must neither die nor spin.</summary>
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public void Bind()
    {
        if (File.Exists(socketPath))
        {
            // Only called with the daemon lock held: a socket file now is a dead daemon's.
            File.Delete(socketPath);
        }

        using (var address = UnixSocketAddress.Of(socketPath))
        {
            _listener.Bind(address.EndPoint);
        }

        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(64);
    }

    /// <summary>Accepts until the daemon stops; returns once every connection has ended.</summary>
    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // EMFILE and friends: the door stays open; try again shortly.
                await DelayQuietly(AcceptRetry, cancellationToken);
                continue;
            }

            connections.RemoveAll(c => c.IsCompleted);
            connections.Add(Task.Run(() => ServeOneAsync(client, cancellationToken), CancellationToken.None));
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeOneAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            var peer = PeerCredentials.Of(client);
            using var connection = new ControlConnection(client, control);
            if (peer is not { } caller || caller.Uid != PeerCredentials.CurrentUid)
            {
                try
                {
                    await connection.RefuseAsync("refused: only the user who runs the daemon may control it");
                }
                catch (ClientGoneException)
                {
                    // It did not wait for the answer.
                }

                return;
            }

            try
            {
                await connection.RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug in one connection must not close the door for the others.
                await Console.Error.WriteLineAsync($"tend daemon: a control connection failed: {e}");
            }
        }
    }

    private async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public void Dispose() => _listener.Dispose();
}
