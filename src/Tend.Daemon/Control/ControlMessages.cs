using System.Text.Json.Serialization;
using Tend.Core.Status;

namespace Tend.Daemon.Control;

/// <summary>
/// A request to the daemon. The verbs are fixed (no generic dispatch, unlike supervisord's
/// XML-RPC, CVE-2017-11610): ping, status, up, down, start, stop, restart, kill, shutdown.
/// </summary>
public sealed record ControlRequest(string Verb, IReadOnlyList<string>? Components = null, int? Signal = null, string? StackFile = null, int? MaxRounds = null);

/// <summary>The daemon's answer: ok or an error, and what the verb returns.</summary>
public sealed record ControlResponse(bool Ok, string? Error = null, StackSnapshot? Snapshot = null, IReadOnlyList<string>? Components = null, IReadOnlyList<string>? Changes = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(StackSnapshot))]
public sealed partial class ControlJson : JsonSerializerContext;
