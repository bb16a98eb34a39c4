using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Control;

/// <summary>
/// A connection to a stack's daemon: requests go out with ids, and one reader routes the replies
/// back to whoever asked, so a client can follow events while a stop is in progress on the same
/// connection. A daemon that answers in another protocol's shape is told as such, not misread.
/// </summary>
public sealed class ControlClient : IAsyncDisposable
{
    private readonly Socket? _socket;
    private readonly Stream _stream;
    private readonly Stream _requests;
    private readonly Func<ValueTask>? _closeTransport;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<long, Channel<ControlReply>> _calls = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reading;
    private volatile bool _closed;
    private long _nextId;

    private ControlClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _requests = _stream;
        _reading = Task.Run(ReadRepliesAsync);
    }

    private ControlClient(Stream replies, Stream requests, Func<ValueTask>? closeTransport)
    {
        _stream = replies;
        _requests = requests;
        _closeTransport = closeTransport;
        _reading = Task.Run(ReadRepliesAsync);
    }

    /// <summary>
    /// A client over a pair of streams instead of the daemon's socket: the protocol's lines come in
    /// on <paramref name="replies"/> and go out on <paramref name="requests"/> (an ssh process's
    /// stdout and stdin, for `--host`). The client owns both; <paramref name="closeTransport"/>,
    /// when given, runs on dispose after <paramref name="requests"/> is closed, and must make
    /// <paramref name="replies"/> reach its end (a pipe's read is not woken by a cancellation).
    /// </summary>
    public static ControlClient Over(Stream replies, Stream requests, Func<ValueTask>? closeTransport = null)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ArgumentNullException.ThrowIfNull(requests);
        return new ControlClient(replies, requests, closeTransport);
    }

    /// <summary>Whether the other end has gone (its replies ended): every call from now on answers <c>not_running</c>.</summary>
    public bool IsClosed => _closed;

    /// <summary>Connects; null when no daemon listens (no socket, or a dead daemon's).</summary>
    public static async Task<ControlClient?> ConnectAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using (var address = UnixSocketAddress.Of(socketPath))
            {
                await socket.ConnectAsync(address.EndPoint, deadline.Token);
            }

            return new ControlClient(socket);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A socket file with nobody behind it: a daemon that died without cleaning up.
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Sends a request and returns its one answer: a result, or an error (as a reply with <see cref="ControlReply.Error"/>).</summary>
    public async Task<ControlReply> CallAsync(ControlRequest request, CancellationToken cancellationToken = default)
    {
        var (id, replies) = await SendAsync(request, cancellationToken);
        try
        {
            return await replies.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return Closed(id);
        }
        finally
        {
            _calls.TryRemove(id, out _);
        }
    }

    /// <summary>Sends a request that streams; yields its items until it ends, and cancels it on the daemon when the caller stops reading.</summary>
    /// <returns>The items, then (when it failed) the error reply.</returns>
    public async IAsyncEnumerable<ControlReply> StreamAsync(ControlRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (id, replies) = await SendAsync(request, cancellationToken);
        var ended = false;
        try
        {
            while (true)
            {
                ControlReply reply;
                try
                {
                    reply = await replies.Reader.ReadAsync(cancellationToken);
                }
                catch (ChannelClosedException)
                {
                    reply = Closed(id);
                }

                if (reply.Type == ReplyTypes.End)
                {
                    ended = true;
                    yield break;
                }

                ended = reply.Type == ReplyTypes.Error;
                yield return reply;
                if (ended)
                {
                    yield break;
                }
            }
        }
        finally
        {
            _calls.TryRemove(id, out _);
            if (!ended && !_closing.IsCancellationRequested)
            {
                await TrySendAsync(new CancelRequest(id));
            }
        }
    }

    /// <summary>Sends a request without waiting for its answer (the daemon carries it out all the same): `stop --no-wait`.</summary>
    public Task PostAsync(ControlRequest request, CancellationToken cancellationToken = default) =>
        WriteAsync(request with { Id = Interlocked.Increment(ref _nextId) }, cancellationToken);

    private async Task<(long Id, Channel<ControlReply> Replies)> SendAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var replies = Channel.CreateUnbounded<ControlReply>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        _calls[id] = replies;
        if (_closed)
        {
            // Registered after the reader's last sweep: nobody else will ever complete it.
            replies.Writer.TryWrite(Closed(id));
            replies.Writer.TryComplete();
            return (id, replies);
        }

        try
        {
            await WriteAsync(request with { Id = id }, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            replies.Writer.TryWrite(Closed(id));
            replies.Writer.TryComplete();
        }

        return (id, replies);
    }

    private async Task TrySendAsync(ControlRequest request)
    {
        try
        {
            await WriteAsync(request with { Id = Interlocked.Increment(ref _nextId) }, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The daemon is gone: nothing to cancel.
        }
    }

    private async Task WriteAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var line = ControlVerbs.Write(request);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _requests.WriteAsync(line, cancellationToken);
            await _requests.WriteAsync("\n"u8.ToArray(), cancellationToken);
            if (_socket is null)
            {
                // A pipe buffers: the other end must see the request now.
                await _requests.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ReadRepliesAsync()
    {
        ControlError? ending = null;
        try
        {
            using var reader = new StreamReader(_stream, Encoding.UTF8, leaveOpen: true);
            while (await reader.ReadLineAsync(_closing.Token) is { } line)
            {
                var reply = Parse(line);
                if (reply.Type is null)
                {
                    // A refusal (another user) and protocol 1's answers carry the error as a plain string.
                    ending = Refusal(line) is { } refusal
                        ? new ControlError("refused", refusal)
                        : new ControlError("unsupported_version", $"the daemon runs another version of tend (it answered: {Shorten(line)})", "use the same tend for both: tend daemon stop, then tend up");
                    break;
                }

                if (reply.Id == 0 && reply.Error is { } unaddressed)
                {
                    // A line the daemon could not read far enough to find its id (too long, not JSON): every call waiting may be the one.
                    foreach (var (id, waiting) in _calls)
                    {
                        waiting.Writer.TryWrite(ControlConnection.Failure(id, unaddressed));
                    }

                    continue;
                }

                if (_calls.TryGetValue(reply.Id, out var replies))
                {
                    replies.Writer.TryWrite(reply);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            // The daemon went away, or we are closing.
        }

        _closed = true;
        foreach (var (id, replies) in _calls)
        {
            if (ending is not null)
            {
                replies.Writer.TryWrite(ControlConnection.Failure(id, ending));
            }

            replies.Writer.TryComplete();
        }
    }

    private static ControlReply Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ProtocolJson.Default.ControlReply) ?? new ControlReply(0, null!);
        }
        catch (JsonException)
        {
            return new ControlReply(0, null!);
        }
    }

    /// <summary>The text of the daemon's refusal, `{"ok":false,"error":"refused: ..."}`, or null.</summary>
    private static string? Refusal(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            // Only the daemon's refusal of another user starts so; anything else in this shape is an older daemon's answer.
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && error.GetString() is { } text && text.StartsWith("refused:", StringComparison.Ordinal)
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";

    private static ControlReply Closed(long id) => ControlConnection.Failure(id, new ControlError("not_running", "the daemon closed the connection (it stopped, or it was killed)"));

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        if (_socket is not null)
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        else
        {
            await CloseRequestsAsync();
            if (_closeTransport is not null)
            {
                await _closeTransport();
            }
        }

        await _reading;
        _stream.Dispose();
        _socket?.Dispose();
        _closing.Dispose();
        _writing.Dispose();
    }

    /// <summary>The end of the requests (EOF on the other side's stdin), once no write is in progress.</summary>
    private async Task CloseRequestsAsync()
    {
        await _writing.WaitAsync();
        try
        {
            await _requests.DisposeAsync();
        }
        catch (IOException)
        {
            // The other end is gone already.
        }
        finally
        {
            _writing.Release();
        }
    }
}
