using System.Text.Json.Serialization;

namespace Tend.Core.Workflows.Stats;

/// <summary>Whether a KPI meets its target, or there was nothing to measure it on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KpiVerdict>))]
public enum KpiVerdict
{
    [JsonStringEnumMemberName("met")]
    Met,

    [JsonStringEnumMemberName("not_met")]
    NotMet,

    [JsonStringEnumMemberName("no_data")]
    NoData,
}

/// <summary>One KPI: its value in its unit (percent or seconds), its target in words, its verdict.</summary>
public sealed record Kpi(string Name, double? Value, string Unit, string Target, KpiVerdict Verdict);

/// <summary>A step by how often it failed: runs in which it ended failed, and failed attempts (retries included).</summary>
public sealed record FailingStep(string Step, int FailedRuns, int FailedAttempts);

/// <summary>
/// The KPIs of one workflow over a window, from its run records (<see cref="WorkflowStatistics"/>).
/// A run and each resumption of it count as runs of their own (<see cref="Resumptions"/> of them),
/// each by how it ended. Ended runs are the succeeded, failed and stopped ones; interrupted and
/// running runs are counted apart and left out of the rates and durations.
/// </summary>
public sealed record WorkflowStats(
    string Workflow,
    DateTimeOffset Since,
    int Runs,
    int Succeeded,
    int Failed,
    int Stopped,
    int Interrupted,
    int Running,
    double? SuccessPercent,
    double? DurationMedianSeconds,
    double? DurationP95Seconds,
    double? SucceededDurationMedianSeconds,
    double? SucceededDurationP95Seconds,
    int ArtifactsChecked,
    int ArtifactsFailed,
    double? ArtifactSuccessPercent,
    long Tokens,
    long? TokensMedianPerRun,
    decimal Cost,
    decimal? CostMedianPerRun,
    int Retries,
    IReadOnlyList<FailingStep> FailingSteps,
    IReadOnlyList<Kpi> Kpis)
{
    /// <summary>How many of <see cref="Runs"/> were resumptions of a run (`tend workflow resume`).</summary>
    public int Resumptions { get; init; }

    public int Ended => Succeeded + Failed + Stopped;
}
