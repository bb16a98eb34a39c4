using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tend.Cli.Tests.Web;

/// <summary>An HTTP client of one daemon's face, with a reader of its Server-Sent Events.</summary>
internal sealed class WebClient(int port) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromSeconds(1) })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public int Port => port;

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? token = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public async Task<SseReader> OpenStreamAsync(string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        response.Headers.GetValues("X-Accel-Buffering").ShouldContain("no");
        return new SseReader(request, response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One SSE message: its id (null when it set none), name and data.</summary>
internal sealed record SseMessage(string? Id, string? Name, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>Reads messages from a stream as a browser's EventSource parses them; comments are counted.</summary>
internal sealed class SseReader(HttpRequestMessage request, HttpResponseMessage response, Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public int Comments { get; private set; }

    /// <summary>The next message; null when the stream ended.</summary>
    public async Task<SseMessage?> NextAsync(TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within);
        string? id = null;
        string? name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new SseMessage(id, name, data.ToString().TrimEnd('\n'));
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments++;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(value).Append('\n');
                    break;
            }
        }

        return null;
    }

    /// <summary>Messages until one matches, within the time given.</summary>
    public async Task<List<SseMessage>> UntilAsync(Func<SseMessage, bool> done, TimeSpan within)
    {
        var read = new List<SseMessage>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var next = await NextAsync(within - clock.Elapsed) ?? throw new EndOfStreamException($"the stream ended after {read.Count} messages");
            read.Add(next);
            if (done(next))
            {
                return read;
            }
        }

        throw new TimeoutException($"no such message within {within}; read {read.Count}");
    }

    public void Dispose()
    {
        _reader.Dispose();
        response.Dispose();
        request.Dispose();
    }
}
