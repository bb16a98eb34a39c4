using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Tend.Core.Events;

namespace Tend.Daemon.Http;

/// <summary>Writing the API's answers: a document with its status, an error, an event with its id.</summary>
internal static class ApiResults
{
    public static async Task JsonAsync<T>(HttpContext context, T document, JsonTypeInfo<T> info, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, document, info, context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, int status, ApiError error) =>
        JsonAsync(context, new ErrorDocument(error), ApiJson.Default.ErrorDocument, status);

    /// <summary>An event as the files have it, with its <c>id</c> (its position) first when it has one.</summary>
    public static void WriteEvent(Utf8JsonWriter json, PositionedEvent positioned) => json.WriteRawValue(EventText(positioned), skipInputValidation: true);

    /// <summary>
    /// The event's JSON: its line as the files hold it, with the id spliced in front. Made once
    /// an event however many streams send it (200 dashboards are 200 readers of each event).
    /// </summary>
    public static string EventText(PositionedEvent positioned) => Texts.GetValue(positioned, Make);

    /// <summary>The event's whole SSE frame, made once an event.</summary>
    public static byte[] EventFrame(PositionedEvent positioned) => Frames.GetValue(positioned, p =>
    {
        var id = p.Position?.ToId();
        return System.Text.Encoding.UTF8.GetBytes(id is null ? $"data: {EventText(p)}\n\n" : $"id: {id}\ndata: {EventText(p)}\n\n");
    });

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PositionedEvent, string> Texts = [];
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PositionedEvent, byte[]> Frames = [];

    private static string Make(PositionedEvent positioned)
    {
        var line = EventJson.ToLineString(positioned.Record).TrimEnd('\n');
        return positioned.Position is { } position ? $"{{\"id\":\"{position.ToId()}\",{line[1..]}" : line;
    }
}
