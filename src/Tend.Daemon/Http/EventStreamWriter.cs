using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tend.Daemon.Http;

/// <summary>
/// A Server-Sent Events response: the headers that keep proxies from holding it back, each
/// message flushed as written, and a comment as heartbeat when nothing was sent for a while, so
/// a proxy or a browser does not take a quiet stream for a dead one. Written by hand: the frames
/// are three lines, and System.Net.ServerSentEvents' formatter has no heartbeat.
/// </summary>
internal sealed class EventStreamWriter : IDisposable
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private readonly HttpResponse _response;
    private readonly SemaphoreSlim _writing = new(1, 1);

    private EventStreamWriter(HttpResponse response) => _response = response;

    /// <summary>
    /// Answers <paramref name="context"/> with a stream that <paramref name="write"/> fills, with the
    /// heartbeat beside it, until the client goes away or the daemon stops.
    /// </summary>
    public static async Task ServeAsync(HttpContext context, TimeProvider time, Func<EventStreamWriter, CancellationToken, Task> write)
    {
        var cancellationToken = context.RequestAborted;
        using var stream = await StartAsync(context);
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = stream.BeatAsync(time, beating.Token);
        try
        {
            await write(stream, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away, or the daemon is stopping.
        }
        finally
        {
            await beating.CancelAsync();
            await heartbeat;
        }
    }

    private static async Task<EventStreamWriter> StartAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var writer = new EventStreamWriter(response);

        // A browser waits 3 s by default before it reconnects; a restarted daemon is back sooner.
        await writer.WriteRawAsync("retry: 1000\n\n", context.RequestAborted);
        return writer;
    }

    /// <param name="id">The event's id, which the browser sends back as Last-Event-ID; null keeps the last one.</param>
    /// <param name="name">The event's name; null for the default <c>message</c>.</param>
    public Task WriteAsync(string? id, string? name, string json, CancellationToken cancellationToken)
    {
        var frame = new StringBuilder(json.Length + 48);
        if (id is not null)
        {
            frame.Append("id: ").Append(id).Append('\n');
        }

        if (name is not null)
        {
            frame.Append("event: ").Append(name).Append('\n');
        }

        // JSON written by tend has no raw newline; a data line each is the format's rule anyway.
        foreach (var line in json.Split('\n'))
        {
            frame.Append("data: ").Append(line).Append('\n');
        }

        return WriteRawAsync(frame.Append('\n').ToString(), cancellationToken);
    }

    /// <summary>A frame made beforehand (an event's, shared by every stream that sends it).</summary>
    public async Task WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _response.Body.WriteAsync(frame, cancellationToken);
            await _response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Writes a heartbeat every <see cref="Heartbeat"/> until <paramref name="cancellationToken"/>.</summary>
    private async Task BeatAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Heartbeat, time, cancellationToken);
                await WriteRawAsync(": ping\n\n", cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
        catch (IOException)
        {
            // The client went away; the stream's own loop notices too.
        }
    }

    private Task WriteRawAsync(string text, CancellationToken cancellationToken) => WriteFrameAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public void Dispose() => _writing.Dispose();
}
