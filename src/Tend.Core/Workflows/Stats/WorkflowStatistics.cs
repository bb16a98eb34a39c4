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

    /// <summary>
    /// The KPIs of the passes of <paramref name="workflow"/> that started within
    /// <paramref name="window"/> before <paramref name="now"/>: each run, and each resumption of
    /// one, counts once by how it ended (a run that failed and then succeeded on resume is one
    /// failure and one success), so that what was counted is never taken back.
    /// </summary>
    public static WorkflowStats Compute(string workflow, IEnumerable<RunRecord> records, DateTimeOffset now, TimeSpan window, KpiTargets? targets = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        targets ??= KpiTargets.Runbook;
        var since = now - window;
        var passes = records.Where(r => r.Workflow == workflow).SelectMany(PassView.Of).Where(p => p.Pass.Started >= since && p.Pass.Started <= now).ToList();
        int Count(RunOutcome outcome) => passes.Count(p => p.Pass.Outcome == outcome);
        var succeeded = Count(RunOutcome.Succeeded);
        var ended = passes.Where(p => p.Pass.Finished).ToList();
        var durations = ended.Select(p => p.Pass.Seconds!.Value).ToList();
        var succeededDurations = ended.Where(p => p.Pass.Outcome == RunOutcome.Succeeded).Select(p => p.Pass.Seconds!.Value).ToList();
        var attempts = passes.SelectMany(p => p.Attempts).Select(a => a.Attempt).ToList();
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
            passes.Count,
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
            passes.Sum(p => p.Pass.Tokens),
            passes.Count == 0 ? null : (long)Math.Round(Median([.. passes.Select(p => (double)p.Pass.Tokens)])),
            passes.Sum(p => p.Pass.Cost),
            passes.Count == 0 ? null : Median([.. passes.Select(p => p.Pass.Cost)]),
            attempts.Count(a => a.Number > 1),
            FailingSteps(passes),
            kpis)
        {
            Resumptions = passes.Count(p => p.Resumption),
        };
    }

    /// <summary>The stats of each workflow that has runs among <paramref name="records"/>, by name.</summary>
    public static IReadOnlyList<WorkflowStats> ComputeAll(IReadOnlyList<RunRecord> records, DateTimeOffset now, TimeSpan window, KpiTargets? targets = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.Select(r => r.Workflow).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => Compute(name, records, now, window, targets))];
    }

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

    private static T Median<T>(List<T> values)
        where T : System.Numerics.INumber<T>
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / (T.One + T.One);
    }

    private static List<FailingStep> FailingSteps(List<PassView> passes) =>
        [.. passes.SelectMany(p => p.FailedSteps.Select(step => (Step: step, Failed: 1, Attempts: 0)).Concat(p.Attempts.Where(a => a.Attempt.Reason is not null).Select(a => (a.Step, Failed: 0, Attempts: 1))))
            .GroupBy(f => f.Step, StringComparer.Ordinal)
            .Select(g => new FailingStep(g.Key, g.Sum(f => f.Failed), g.Sum(f => f.Attempts)))
            .OrderByDescending(f => f.FailedRuns)
            .ThenByDescending(f => f.FailedAttempts)
            .ThenBy(f => f.Step, StringComparer.Ordinal)
            .Take(FailingStepsShown)];

    private static KpiVerdict AtLeast(double? value, double target) =>
        value is not { } v ? KpiVerdict.NoData : v >= target ? KpiVerdict.Met : KpiVerdict.NotMet;

    private static KpiVerdict AtMost(double? value, double target) =>
        value is not { } v ? KpiVerdict.NoData : v <= target ? KpiVerdict.Met : KpiVerdict.NotMet;
}
