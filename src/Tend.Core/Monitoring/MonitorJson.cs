using System.Text.Json.Serialization;

namespace Tend.Core.Monitoring;

/// <summary>
/// What a notifier receives: one alert firing or resolved (or a test), with the stack and host it
/// comes from. Documented in docs/monitor.md; <see cref="Schema"/> grows only by added fields.
/// </summary>
public sealed record AlertNotice(
    int Schema,
    string Id,
    string State,
    string Stack,
    string Host,
    string Rule,
    string Subject,
    string? Component,
    string Severity,
    string Summary,
    IReadOnlyList<string> Facts,
    double Value,
    string? Hint,
    string? Action,
    DateTimeOffset FiredAt,
    DateTimeOffset? ResolvedAt)
{
    public const int CurrentSchema = 1;
}

/// <summary>alerts.json and notifier bodies: source-generated (AOT-safe), snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertBookState))]
[JsonSerializable(typeof(AlertNotice))]
[JsonSerializable(typeof(AlertsReport))]
public sealed partial class MonitorJson : JsonSerializerContext;

/// <summary>`tend alerts --json`: the firing alerts (oldest first) and the recently resolved (newest first).</summary>
public sealed record AlertsReport(bool DaemonRunning, IReadOnlyList<AlertRecord> Firing, IReadOnlyList<AlertRecord> Recent);
