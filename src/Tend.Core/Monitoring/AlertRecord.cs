using Tend.Core.Model;

namespace Tend.Core.Monitoring;

/// <summary>
/// One alert: a rule that held on one subject (a component, the host, a filesystem). Keyed by
/// (<see cref="Rule"/>, <see cref="Subject"/>): it fires once and resolves once, across daemon restarts.
/// </summary>
/// <param name="Subject">The component's name, <c>host</c>, or a filesystem's mount point.</param>
/// <param name="Component">The component, when the subject is one.</param>
/// <param name="Facts">The values that made it fire, in words: "memory_bytes = 612 MB, above 512 MB".</param>
/// <param name="Value">The main metric's value when it fired (then, once resolved, when it cleared).</param>
/// <param name="Action">What Tend did about it: "stopped api", "ran notify.sh: exit 0"; null for alert only.</param>
public sealed record AlertRecord(
    string Rule,
    string Subject,
    string? Component,
    AlertSeverity Severity,
    string Summary,
    string? Hint,
    DateTimeOffset FiredAt,
    DateTimeOffset? ResolvedAt,
    double Value,
    IReadOnlyList<string> Facts,
    string? Action)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Firing => ResolvedAt is null;

    [System.Text.Json.Serialization.JsonIgnore]
    public string SeverityName => Severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        _ => "critical",
    };
}

/// <summary>A rule that holds on a subject but not yet for its <c>for</c>, or a firing alert that is clear but not yet for its <c>clear_after</c>.</summary>
public sealed record AlertTimer(string Rule, string Subject, DateTimeOffset Since);

/// <summary>What alerts.json keeps: firing alerts and their timers (so a restart neither fires twice nor forgets), and the recent resolved ones.</summary>
public sealed record AlertBookState(IReadOnlyList<AlertRecord> Firing, IReadOnlyList<AlertTimer> Pending, IReadOnlyList<AlertTimer> Clearing, IReadOnlyList<AlertRecord> Recent)
{
    public static readonly AlertBookState Empty = new([], [], [], []);
}
