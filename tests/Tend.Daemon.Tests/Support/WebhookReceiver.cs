using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tend.Daemon.Tests.Support;

/// <summary>One POST as the receiver read it: headers (names case-insensitive) and the raw body bytes.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>
/// A real HTTP/1.1 receiver on 127.0.0.1 and an ephemeral port, inside the test process: it
/// records every request and answers with the statuses it was given, in turn (the last one for
/// every request after), one request per connection. <see cref="Hold"/> makes it read requests
/// but keep the answers back, a receiver that hangs.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly int[] _statuses;
    private readonly bool _hold;
    private readonly Task _loop;
    private int _answered;
    private int _taken;

    /// <summary>Answers the statuses given in turn, then the last one for good; 200 if none is given.</summary>
    public WebhookReceiver(params int[] statuses)
        : this(statuses, hold: false)
    {
    }

    private WebhookReceiver(int[] statuses, bool hold)
    {
        _statuses = statuses.Length == 0 ? [200] : statuses;
        _hold = hold;
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A receiver that reads each request and never answers.</summary>
    public static WebhookReceiver Hold() => new([], hold: true);

    /// <summary>Waits for the next request not yet waited for (10 s at most).</summary>
    public async Task<ReceivedRequest> NextAsync()
    {
        (await _arrived.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeTrue("no request reached the receiver within 10 s");
        lock (_requests)
        {
            return _requests[_taken++];
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await using var stream = new NetworkStream(socket, ownsSocket: true);
                    await AnswerAsync(stream, _stop.Token);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The client went away (a timeout, a dispose): nothing to answer.
                }
            });
        }
    }

    private async Task AnswerAsync(NetworkStream stream, CancellationToken token)
    {
        var head = await ReadHeadAsync(stream, token);
        if (head is null)
        {
            return;
        }

        var (lines, bodyStart) = head.Value;
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var length = int.Parse(headers.GetValueOrDefault("Content-Length", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var body = new MemoryStream();
        body.Write(bodyStart);
        var buffer = new byte[8192];
        while (body.Length < length)
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                return;
            }

            body.Write(buffer, 0, read);
        }

        lock (_requests)
        {
            _requests.Add(new ReceivedRequest(requestLine[0], requestLine[1], headers, body.ToArray()));
        }

        _arrived.Release();
        if (_hold)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token);
        }
        var status = _statuses[Math.Min(Interlocked.Increment(ref _answered) - 1, _statuses.Length - 1)];
        var answer = $"HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), token);
    }

    /// <summary>The request line and headers, and whatever of the body came with them.</summary>
    private static async Task<(string[] Lines, byte[] BodyStart)?> ReadHeadAsync(NetworkStream stream, CancellationToken token)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                return null;
            }

            received.Write(buffer, 0, read);
            var bytes = received.ToArray();
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
                return (lines, bytes[(end + 4)..]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
        _arrived.Dispose();
    }
}
