namespace Tend.Core.Model;

/// <summary>How bad a firing alert is; notifiers filter on it (<c>min_severity</c>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(AlertSeverityJson))]
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

public sealed class AlertSeverityJson() : Text.NamedEnumJsonConverter<AlertSeverity>(["info", "warning", "critical"]);

/// <summary>
/// The daemon's watcher (<c>[monitor]</c>, <c>[[monitor.rule]]</c>, <c>[[notify]]</c>): how often it
/// samples, the rules it checks each sample against (the built-in ones as the stack file changed
/// them, then the stack's own), and where alerts are sent.
/// </summary>
public sealed record MonitorPolicy(TimeSpan Interval, ValueList<MonitorRule> Rules, ValueList<NotifierSpec> Notifiers)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>How many days of metrics-YYYY-MM-DD.jsonl are kept (<c>[monitor] keep_days</c>).</summary>
    public int KeepDays { get; init; } = 7;

    /// <summary>More paths whose filesystems the disk rules watch (<c>[monitor] disks</c>), beside the state dir and the components' working directories: where models or data live.</summary>
    public ValueList<string> Disks { get; init; } = [];

    /// <summary>The metrics files' total size at most (<c>[monitor] max_size</c>): the oldest go first.</summary>
    public long MaxBytes { get; init; } = 100_000_000;

    /// <summary>The enabled rules, the only ones the daemon evaluates.</summary>
    public IEnumerable<MonitorRule> Active => Rules.Where(r => r.Enabled);
}

/// <summary>How a condition compares its metric with its threshold.</summary>
public enum ThresholdDirection
{
    /// <summary>Holds while the value is greater than the threshold.</summary>
    Above,

    /// <summary>Holds while the value is less than the threshold.</summary>
    Below,
}

/// <summary>
/// One comparison of a metric with a threshold: <c>metric = "memory_bytes", above = "2GB"</c>.
/// <see cref="Average"/> compares the mean over a trailing window instead of the last value.
/// </summary>
/// <param name="Metric">A name from the metric catalogue (docs/monitor.md), e.g. <c>host.cpu_percent</c>, <c>output_idle</c>, <c>events</c>.</param>
/// <param name="Direction">Above or below.</param>
/// <param name="Threshold">In the metric's unit: bytes, seconds, percent or a count.</param>
/// <param name="Clear">Hysteresis: the value must be back past this (not just past the threshold) for the alert to clear.</param>
/// <param name="Average">Compare the mean of the samples over this trailing window.</param>
/// <param name="IfMissing">What the condition is worth when the metric is absent (no GPU, no health probe): false unless set.</param>
public sealed record RuleCondition(string Metric, ThresholdDirection Direction, double Threshold, double? Clear, TimeSpan? Average, bool IfMissing)
{
    /// <summary>For <c>metric = "events"</c>: which events are counted, and which of their fields must have which values.</summary>
    public EventCount? Events { get; init; }

    /// <summary>For a workflow metric: the runs that started within this trailing window count; null for <c>KpiTargets.DefaultWindow</c> (7 days).</summary>
    public TimeSpan? Window { get; init; }

    public bool Holds(double value) => Direction == ThresholdDirection.Above ? value > Threshold : value < Threshold;

    /// <summary>Whether the value is back on the safe side of the hysteresis threshold.</summary>
    public bool Cleared(double value) => Direction == ThresholdDirection.Above ? value <= (Clear ?? Threshold) : value >= (Clear ?? Threshold);
}

/// <summary>
/// Counts events of a component: of <see cref="Kind"/> whose fields match <see cref="Where"/>,
/// either within the trailing <see cref="Window"/> or among the last <see cref="Last"/> events of
/// that kind (<c>auth_fail</c>: 3 of the last 10 rounds ended in <c>auth</c>).
/// </summary>
public sealed record EventCount(string Kind, ValueDictionary Where, TimeSpan? Window, int? Last);

public enum RuleActionKind
{
    /// <summary>Only the alert: events, notifiers.</summary>
    Alert,

    /// <summary>Stop the component (or, for a host or disk rule, the components it applies to).</summary>
    Stop,

    /// <summary>Restart it.</summary>
    Restart,

    /// <summary>Run a command with the alert as JSON on stdin.</summary>
    Exec,
}

public sealed record RuleAction(RuleActionKind Kind, ValueList<string>? Argv = null)
{
    public static readonly RuleAction Alert = new(RuleActionKind.Alert);

    public string Name => Kind switch
    {
        RuleActionKind.Alert => "alert",
        RuleActionKind.Stop => "stop",
        RuleActionKind.Restart => "restart",
        RuleActionKind.Exec => "exec",
        _ => throw new InvalidOperationException($"unknown action {Kind}"),
    };
}

/// <summary>
/// A monitor rule: while <see cref="Condition"/> (and every one of <see cref="Also"/>, or any one
/// of <see cref="Either"/>) holds for <see cref="For"/>, an alert of <see cref="Severity"/> fires
/// once for each subject it holds on and <see cref="Action"/> is taken; once it has been clear for
/// <see cref="ClearAfter"/> the alert resolves.
/// </summary>
/// <param name="Name">Unique in the stack; a built-in rule's name (<c>disk</c>) changes that rule.</param>
/// <param name="Components">Which components it applies to (or, for host and disk rules, which ones its action targets); empty for all.</param>
/// <param name="Summary">One line for people: "memory above the limit".</param>
/// <param name="Hint">What to do, printed with the alert.</param>
public sealed record MonitorRule(
    string Name,
    bool Enabled,
    RuleCondition Condition,
    ValueList<RuleCondition> Also,
    ValueList<RuleCondition> Either,
    TimeSpan For,
    TimeSpan ClearAfter,
    AlertSeverity Severity,
    RuleAction Action,
    ValueList<string> Components,
    string Summary,
    string? Hint) : Located
{
    /// <summary>True for a rule Tend ships (possibly changed by the stack file), false for the stack's own.</summary>
    public bool BuiltIn { get; init; }

    /// <summary>A check the monitor runs every interval for this rule (<c>check = { http = "..." }</c>), read through <c>check_failing_for</c>; null for none.</summary>
    public CheckSpec? Check { get; init; }

    /// <summary>For a rule on a workflow metric, which workflows it watches (<c>workflows = [...]</c>); empty for every one.</summary>
    public ValueList<string> Workflows { get; init; } = [];

    public bool AppliesTo(string component) => Components.Count == 0 || Components.Contains(component);
}

public enum NotifierKind
{
    /// <summary>An HTTP POST of the alert as JSON, signed with HMAC-SHA256 when a secret is given.</summary>
    Webhook,

    /// <summary>A command run with the alert as JSON on its stdin.</summary>
    Exec,
}

/// <summary>
/// One <c>[[notify]]</c>: where alerts of at least <see cref="MinSeverity"/> are sent.
/// </summary>
/// <param name="Name">For events and `tend alerts test`: the <c>name</c> key, else <c>webhook-1</c>, <c>exec-2</c>.</param>
/// <param name="Url">Webhook only: the http(s) URL posted to.</param>
/// <param name="SecretEnv">Webhook only: the environment variable holding the HMAC key; the key itself is never written anywhere.</param>
/// <param name="Argv">Exec only: the command.</param>
/// <param name="Timeout">How long one delivery may take.</param>
/// <param name="Attempts">Deliveries tried before one is given up (back-off 1 s, 2 s, 4 s, ... between them).</param>
public sealed record NotifierSpec(
    string Name,
    NotifierKind Kind,
    string? Url,
    string? SecretEnv,
    ValueList<string>? Argv,
    AlertSeverity MinSeverity,
    TimeSpan Timeout,
    int Attempts) : Located
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public const int DefaultAttempts = 5;

    public string KindName => Kind == NotifierKind.Webhook ? "webhook" : "exec";
}
