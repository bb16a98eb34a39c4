using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tend.Core.Events;
using Tend.Core.Text;

namespace Tend.Daemon.Http;

/// <summary>
/// <c>GET /api/v1/events</c> and <c>GET /api/v1/stream</c>. An event's id is its place in the
/// daily files, so a reader that comes back with the last id it saw (a query's <c>since</c>, a
/// browser's Last-Event-ID) gets exactly what came after: read from the files up to where the
/// live subscription began, then the subscription. The files outlive the daemon, and so do the ids.
/// </summary>
internal sealed class EventsApi(EventHub hub, string directory, TimeProvider time)
{
    private const int DefaultLast = 100;
    private const int MaxPage = 10_000;

    public async Task ListAsync(HttpContext context)
    {
        if (Query.Read(context.Request, out var invalid) is not { } query)
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status400BadRequest, invalid!);
            return;
        }

        var reader = new EventReader(directory, time);
        var end = EventPosition.EndOf(directory);
        var events = query.Since is { } since
            ? reader.After(since, query.Filter, end, query.Last ?? MaxPage)
            : reader.LastPositioned(query.Last ?? DefaultLast, query.Filter, end);
        var next = events.Count > 0 && (query.Since is null || events.Count == (query.Last ?? MaxPage)) ? events[^1].Position : end ?? query.Since;

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteNumber("schema", ApiSchema.Version);
        json.WriteStartArray("events");
        foreach (var e in events)
        {
            ApiResults.WriteEvent(json, e);
        }

        json.WriteEndArray();
        if (next is not null)
        {
            json.WriteString("next", next.ToId());
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    public async Task StreamAsync(HttpContext context)
    {
        if (Query.Read(context.Request, out var invalid) is not { } query)
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status400BadRequest, invalid!);
            return;
        }

        using var subscription = hub.Subscribe(query.Filter);
        await EventStreamWriter.ServeAsync(context, time, async (stream, cancellationToken) =>
        {
            var reader = new EventReader(directory, time);
            var history = query.Since is { } since
                ? reader.After(since, query.Filter, subscription.HistoryEnd)
                : reader.LastPositioned(query.Last ?? 0, query.Filter, subscription.HistoryEnd);
            foreach (var e in history)
            {
                await stream.WriteFrameAsync(ApiResults.EventFrame(e), cancellationToken);
            }

            await foreach (var e in subscription.ReadPositionedAsync(cancellationToken))
            {
                await stream.WriteFrameAsync(ApiResults.EventFrame(e), cancellationToken);
            }
        });
    }

    /// <summary>The query's filter and cursor; null when it was answered with a 400.</summary>
    private sealed record Query(EventFilter Filter, EventPosition? Since, int? Last)
    {
        public static Query? Read(HttpRequest request, out ApiError? invalid)
        {
            invalid = null;
            var kinds = Split(request.Query["kind"]);
            if (kinds.FirstOrDefault(k => !k.EndsWith('*') && !k.EndsWith('_') && EventKinds.Find(k) is null) is { } unknown)
            {
                invalid = new ApiError("bad_request", $"no event kind '{unknown}'", DidYouMean.Hint(unknown, EventKinds.All.Select(k => k.Name)) ?? "docs/events.md lists them");
                return null;
            }

            var cursor = request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } resumed ? resumed : request.Query["since"].FirstOrDefault();
            EventPosition? since = null;
            if (cursor is { Length: > 0 } && !EventPosition.TryParseId(cursor, out since))
            {
                invalid = new ApiError("bad_request", $"'{cursor}' is not an event id", "ids look like 20261129-48213: take one from an event, or the next of a list");
                return null;
            }

            int? last = null;
            if (request.Query["last"].FirstOrDefault() is { } lastText)
            {
                if (!int.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > MaxPage)
                {
                    invalid = new ApiError("bad_request", $"last must be a count from 0 to {MaxPage}, not '{lastText}'");
                    return null;
                }

                last = parsed;
            }

            return new Query(new EventFilter { Kinds = kinds, Components = Split(request.Query["component"]) }, since, last);
        }

        private static string[] Split(Microsoft.Extensions.Primitives.StringValues values) =>
            [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }
}
