using System.Text.Json;
using System.Text.Json.Serialization;
using Tend.Core.Events;

namespace Tend.Core.Status;

/// <summary>`tend peek --json`: the snapshot, what runs unsupervised, and the latest events.</summary>
public sealed record PeekReport(bool DaemonRunning, StackSnapshot? Snapshot, IReadOnlyList<string> Unsupervised, IReadOnlyList<EventRecord> RecentEvents);

/// <summary>
/// The JSON of the stack's state, as state.json, `tend status --json`, `tend peek --json` and the
/// control protocol write it: snake_case, null fields left out. Source-generated (AOT-safe).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EventRecordJsonConverter)])]
[JsonSerializable(typeof(StackSnapshot))]
[JsonSerializable(typeof(PeekReport))]
public sealed partial class StatusJson : JsonSerializerContext;

/// <summary>An event as the one line the files hold (<see cref="EventJson"/>), so every face shows events in one shape.</summary>
public sealed class EventRecordJsonConverter : JsonConverter<EventRecord>
{
    public override EventRecord? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return EventJson.Parse(document.RootElement.GetRawText()) ?? throw new JsonException("not an event");
    }

    public override void Write(Utf8JsonWriter writer, EventRecord value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var line = EventJson.ToLine(value);
        writer.WriteRawValue(line.AsSpan(0, line.Length - 1), skipInputValidation: true);
    }
}
