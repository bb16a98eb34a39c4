using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Control;

/// <summary>
/// One client's connection: request lines in, reply lines out, any number of requests in flight
/// (each answered under its id, streams until cancelled). A line longer than the protocol allows
/// is refused without being held in memory; a client that goes away ends its streams.
/// </summary>
internal sealed class ControlConnection(Socket socket, StackControl control) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: false);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Dictionary<long, CancellationTokenSource> _streams = [];
    private readonly Lock _gate = new();

    /// <summary>Ends with the connection: pending writes give up.</summary>
    private readonly CancellationTokenSource _ending = new();

    /// <summary>How long one reply may wait for a client that does not read.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Says no in both protocols' shapes, so an old client reads it too.</summary>
    public Task RefuseAsync(string why) => WriteRawAsync($"{{\"ok\":false,\"error\":{JsonSerializer.Serialize(why, ProtocolJson.Default.String)},\"type\":\"error\",\"id\":0}}\n", CancellationToken.None);

    public async Task RunAsync(CancellationToken daemonStopping)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(daemonStopping, _ending.Token);
        var handlers = new List<Task>();
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (await ReadLineAsync(reader, connection.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.Length > ControlProtocol.MaxRequestBytes)
                {
                    await ReplyAsync(new ControlReply(0, ReplyTypes.Error) { Error = new ControlError("too_large", $"a request longer than {ControlProtocol.MaxRequestBytes} bytes") });
                    break;
                }

                handlers.RemoveAll(h => h.IsCompleted);
                if (await ParseAsync(line) is { } dispatched)
                {
                    handlers.Add(dispatched.Invoke(connection.Token));
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ClientGoneException)
        {
            // The client went away, or the daemon is stopping.
        }
        finally
        {
            // Nobody reads the streams any more: end them; answers to changes still in progress are let finish.
            lock (_gate)
            {
                foreach (var stream in _streams.Values)
                {
                    stream.Cancel();
                }
            }

            await Task.WhenAll(handlers);
            await reader.CompleteAsync();
        }
    }

    /// <summary>The next line without its newline; a line over the limit comes back as a marker of its length; null at the end.</summary>
    private static async Task<byte[]?> ReadLineAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = buffer.Slice(0, newline).ToArray();
                reader.AdvanceTo(buffer.GetPosition(1, newline));
                return line;
            }

            if (buffer.Length > ControlProtocol.MaxRequestBytes)
            {
                reader.AdvanceTo(buffer.End);
                return new byte[ControlProtocol.MaxRequestBytes + 1];
            }

            if (read.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return buffer.Length > 0 ? buffer.ToArray() : null;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The handler of one request line, or null after answering a line that is not a request.</summary>
    private async Task<Func<CancellationToken, Task>?> ParseAsync(byte[] line)
    {
        var (handler, refusal) = Parse(line);
        if (refusal is not null)
        {
            await refusal();
        }

        return handler;
    }

    private (Func<CancellationToken, Task>? Handler, Func<Task>? Refusal) Parse(byte[] line)
    {
        long id = 0;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("a request is a JSON object");
            }

            id = root.TryGetProperty("id", out var idProperty) && idProperty.ValueKind == JsonValueKind.Number && idProperty.TryGetInt64(out var given) ? given : 0;
            if (!root.TryGetProperty("v", out var version))
            {
                // Protocol 1 had no version and read one answer in its own shape.
                return (null, () => RefuseAsync($"this daemon speaks control protocol {ControlProtocol.Version}, and this tend an older one: use the same tend for both (tend daemon stop, then tend up)"));
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != ControlProtocol.Version)
            {
                var unsupported = new ControlError("unsupported_version", $"this daemon speaks control protocol {ControlProtocol.Version}, not {version.GetRawText()}", "use the same tend for the CLI and the daemon: tend daemon stop, then tend up");
                return (null, () => ReplyAsync(Failure(id, unsupported)));
            }

            var request = ControlVerbs.Read(root);
            return (token => HandleSafelyAsync(request, token), null);
        }
        catch (JsonException e)
        {
            return (null, () => ReplyAsync(Failure(id, new ControlError("malformed", $"not a request: {e.Message}"))));
        }
    }

    private async Task HandleSafelyAsync(ControlRequest request, CancellationToken connectionEnding)
    {
        try
        {
            await new ControlDispatch(control, this).HandleAsync(request, connectionEnding);
        }
        catch (ClientGoneException)
        {
            // The client went away mid-answer, or stopped reading.
        }
        catch (OperationCanceledException) when (connectionEnding.IsCancellationRequested)
        {
            // The connection or the daemon is ending.
        }
        catch (Exception e)
        {
            // A bug behind one request: answered, so that no client waits for ever, and logged for the report.
            await Console.Error.WriteLineAsync($"tend daemon: request {request.Verb} #{request.Id} failed: {e}");
            try
            {
                await ReplyAsync(Failure(request.Id, new ControlError("internal_error", $"the daemon failed to carry out {request.Verb}: {e.GetType().Name}: {e.Message}", "see daemon.log in the state directory; this is a bug in tend")));
            }
            catch (ClientGoneException)
            {
                // Nobody to tell.
            }
        }
    }

    /// <summary>A token that ends when the client cancels the stream of request <paramref name="id"/>, or the connection ends.</summary>
    public CancellationTokenSource OpenStream(long id, CancellationToken connectionEnding)
    {
        var stream = CancellationTokenSource.CreateLinkedTokenSource(connectionEnding);
        lock (_gate)
        {
            _streams[id] = stream;
        }

        return stream;
    }

    public void CloseStream(long id)
    {
        lock (_gate)
        {
            _streams.Remove(id);
        }
    }

    public void Cancel(long id)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(id, out var stream))
            {
                stream.Cancel();
            }
        }
    }

    public static ControlReply Failure(long id, ControlError error) => new(id, ReplyTypes.Error) { Error = error };

    /// <summary>One reply, one line, written whole: replies to requests in flight together never interleave.</summary>
    public Task ReplyAsync(ControlReply reply) =>
        WriteRawAsync(JsonSerializer.Serialize(reply, ProtocolJson.Default.ControlReply) + "\n", CancellationToken.None);

    /// <summary>
    /// One line to the client. A client that stops reading (a paused `tend logs -f | less`) must
    /// not hold a handler, and with it the daemon's exit, for ever: a write that cannot go out
    /// within <see cref="WriteTimeout"/> ends the connection.
    /// </summary>
    private async Task WriteRawAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _ending.Token);
        deadline.CancelAfter(WriteTimeout);
        try
        {
            await _writing.WaitAsync(deadline.Token);
            try
            {
                await _stream.WriteAsync(bytes, deadline.Token);
            }
            finally
            {
                _writing.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket is of no use once a write was abandoned half way: close it, which also ends the reads.
            Abort();
            throw new ClientGoneException(e);
        }
    }

    private void Abort()
    {
        try
        {
            _ending.Cancel();
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public void Dispose()
    {
        _ending.Cancel();
        _stream.Dispose();
        _writing.Dispose();
        _ending.Dispose();
    }
}

/// <summary>The client went away or stopped reading: whatever was being answered is dropped.</summary>
internal sealed class ClientGoneException(Exception inner) : Exception("the control client went away", inner);
