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
[JsonSerializable(typeof(NotifyTestReport))]
public sealed partial class MonitorJson : JsonSerializerContext;

/// <summary>`tend alerts --json`: the firing alerts (oldest first) and the recently resolved (newest first).</summary>
public sealed record AlertsReport(bool DaemonRunning, IReadOnlyList<AlertRecord> Firing, IReadOnlyList<AlertRecord> Recent);

/// <summary>`tend alerts test --json`: what became of the test notice at each notifier.</summary>
public sealed record NotifyTestReport(IReadOnlyList<NotifyTestResult> Notifiers);

public sealed record NotifyTestResult(string Notifier, string Kind, bool Delivered, string Reason);

/// <summary>The body notifiers get for an alert.</summary>
public static class AlertNotices
{
    /// <summary>Unique per alert and state: a receiver can drop a retried delivery it already has.</summary>
    public static string Id(AlertRecord alert, string state) => $"{alert.Rule}:{alert.Subject}:{alert.FiredAt.ToUnixTimeMilliseconds()}:{state}";

    /// <param name="state"><c>firing</c>, <c>resolved</c> or <c>test</c>.</param>
    public static byte[] Body(AlertRecord alert, string state, string stack) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new AlertNotice(AlertNotice.CurrentSchema, Id(alert, state), state, stack, Environment.MachineName, alert.Rule, alert.Subject, alert.Component, alert.SeverityName, alert.Summary, alert.Facts, alert.Value, alert.Hint, alert.Action, alert.FiredAt, alert.ResolvedAt),
            MonitorJson.Default.AlertNotice);
}
