using Tend.Core.Text;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// The KPIs of a workflow from its run records: pure, so the CLI, the exposition and the monitor
/// compute the same numbers from the same records (docs/workflows.md).
/// </summary>
public static class WorkflowStatistics
{
    public const string Success = "success";
    public const string Completion = "completion_p95";
    public const string ArtifactSuccess = "artifact_success";

    /// <summary>How many failing steps the stats keep, most failing first.</summary>
    public const int FailingStepsShown = 5;

    /// <summary>The KPIs of the runs of <paramref name="workflow"/> that started within <paramref name="window"/> before <paramref name="now"/>.</summary>
    public static WorkflowStats Compute(string workflow, IEnumerable<RunRecord> records, DateTimeOffset now, TimeSpan window, KpiTargets? targets = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        targets ??= KpiTargets.Runbook;
        var since = now - window;
        var runs = records.Where(r => r.Workflow == workflow && r.Started >= since && r.Started <= now).ToList();
        int Count(RunOutcome outcome) => runs.Count(r => r.Outcome == outcome);
        var succeeded = Count(RunOutcome.Succeeded);
        var ended = runs.Where(r => r.Outcome is RunOutcome.Succeeded or RunOutcome.Failed or RunOutcome.Stopped && r.Ended is not null).ToList();
        var durations = ended.Select(Seconds).ToList();
        var succeededDurations = ended.Where(r => r.Outcome == RunOutcome.Succeeded).Select(Seconds).ToList();
        var attempts = runs.SelectMany(r => r.Steps).SelectMany(s => s.Attempts).ToList();
        var checkedArtifacts = attempts.Sum(a => a.ArtifactsChecked ?? 0);
        var failedArtifacts = attempts.Sum(a => a.ArtifactsFailed ?? 0);

        double? successPercent = ended.Count == 0 ? null : 100.0 * succeeded / ended.Count;
        var p95 = Percentile(durations, 0.95);
        double? artifactPercent = checkedArtifacts == 0 ? null : 100.0 * (checkedArtifacts - failedArtifacts) / checkedArtifacts;
        Kpi[] kpis =
        [
            new(Success, successPercent, "percent", $">= {targets.SuccessPercent:0.##} %", AtLeast(successPercent, targets.SuccessPercent)),
            new(Completion, p95, "seconds", $"<= {Quantities.FormatDuration(targets.CompletionP95)}", AtMost(p95, targets.CompletionP95.TotalSeconds)),
            new(ArtifactSuccess, artifactPercent, "percent", $">= {targets.ArtifactSuccessPercent:0.##} %", AtLeast(artifactPercent, targets.ArtifactSuccessPercent)),
        ];

        return new WorkflowStats(
            workflow,
            since,
            runs.Count,
            succeeded,
            Count(RunOutcome.Failed),
            Count(RunOutcome.Stopped),
            Count(RunOutcome.Interrupted),
            Count(RunOutcome.Running),
            successPercent,
            Percentile(durations, 0.5),
            p95,
            Percentile(succeededDurations, 0.5),
            Percentile(succeededDurations, 0.95),
            checkedArtifacts,
            failedArtifacts,
            artifactPercent,
            runs.Sum(r => r.Tokens),
            runs.Count == 0 ? null : (long)Math.Round(Median(runs.Select(r => (double)r.Tokens).ToList())),
            runs.Sum(r => r.Cost),
            runs.Count == 0 ? null : MedianCost(runs),
            runs.SelectMany(r => r.Steps).Sum(s => Math.Max(0, s.Attempts.Count - 1)),
            FailingSteps(runs),
            kpis);
    }

    /// <summary>The stats of each workflow that has runs among <paramref name="records"/>, by name.</summary>
    public static IReadOnlyList<WorkflowStats> ComputeAll(IReadOnlyList<RunRecord> records, DateTimeOffset now, TimeSpan window, KpiTargets? targets = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.Select(r => r.Workflow).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => Compute(name, records, now, window, targets))];
    }

    private static double Seconds(RunRecord run) => (run.Ended!.Value - run.Started).TotalSeconds;

    /// <summary>Nearest rank: the smallest value with at least that share of the values at or below it (p95 of 20 runs is the 19th).</summary>
    public static double? Percentile(IReadOnlyList<double> values, double share)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(share * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static decimal MedianCost(List<RunRecord> runs)
    {
        var sorted = runs.Select(r => r.Cost).Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static List<FailingStep> FailingSteps(List<RunRecord> runs) =>
        [.. runs.SelectMany(r => r.Steps)
            .GroupBy(s => s.Id, StringComparer.Ordinal)
            .Select(g => new FailingStep(g.Key, g.Count(s => s.State == StepState.Failed), g.Sum(s => s.Attempts.Count(a => a.Reason is not null))))
            .Where(f => f.FailedRuns > 0 || f.FailedAttempts > 0)
            .OrderByDescending(f => f.FailedRuns)
            .ThenByDescending(f => f.FailedAttempts)
            .ThenBy(f => f.Step, StringComparer.Ordinal)
            .Take(FailingStepsShown)];

    private static KpiVerdict AtLeast(double? value, double target) =>
        value is not { } v ? KpiVerdict.NoData : v >= target ? KpiVerdict.Met : KpiVerdict.NotMet;

    private static KpiVerdict AtMost(double? value, double target) =>
        value is not { } v ? KpiVerdict.NoData : v <= target ? KpiVerdict.Met : KpiVerdict.NotMet;
}
