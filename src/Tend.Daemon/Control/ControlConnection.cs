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

    /// <summary>Says no in both protocols' shapes, so an old client reads it too.</summary>
    public Task RefuseAsync(string why) => WriteRawAsync($"{{\"ok\":false,\"error\":{JsonSerializer.Serialize(why, ProtocolJson.Default.String)},\"type\":\"error\",\"id\":0}}\n", CancellationToken.None);

    public async Task RunAsync(CancellationToken daemonStopping)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(daemonStopping);
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
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
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

            id = root.TryGetProperty("id", out var idProperty) && idProperty.TryGetInt64(out var given) ? given : 0;
            if (!root.TryGetProperty("v", out var version))
            {
                // Protocol 1 had no version and read one answer in its own shape.
                return (null, () => RefuseAsync($"this daemon speaks control protocol {ControlProtocol.Version}, and this tend an older one: use the same tend for both (tend daemon stop, then tend up)"));
            }

            if (!version.TryGetInt32(out var number) || number != ControlProtocol.Version)
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
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away mid-answer.
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

    private async Task WriteRawAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _writing.Dispose();
    }
}
