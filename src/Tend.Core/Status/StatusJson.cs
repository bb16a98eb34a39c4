using System.Text.Json;
using System.Text.Json.Serialization;
using Tend.Core.Events;

namespace Tend.Core.Status;

/// <summary>`tend peek --json`: the snapshot, what runs unsupervised, and the latest events (each as the files write it).</summary>
public sealed record PeekReport(bool DaemonRunning, StackSnapshot? Snapshot, IReadOnlyList<string> Unsupervised, IReadOnlyList<JsonElement> RecentEvents)
{
    /// <summary>The document's version (the HTTP API's <c>/api/v1/state</c> is this document): fields are only ever added.</summary>
    public int Schema { get; init; } = 1;
}

/// <summary>
/// The JSON of the stack's state, as state.json, `tend status --json`, `tend peek --json` and the
/// control protocol write it: snake_case, null fields left out. Source-generated (AOT-safe), and
/// without converters of tend's own: a converter type costs every command a reflection lookup
/// of its assembly (measured: 2 ms of `tend status`).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StackSnapshot))]
[JsonSerializable(typeof(PeekReport))]
public sealed partial class StatusJson : JsonSerializerContext;
