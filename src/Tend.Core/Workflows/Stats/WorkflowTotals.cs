using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// A workflow's counts over every run record kept (no window: the exposition's counters, which
/// Prometheus turns into rates itself), and its last ended run.
/// </summary>
/// <param name="Outcomes">Runs by outcome, indexed as <see cref="RunOutcome"/>.</param>
public sealed record WorkflowTotals(
    string Workflow,
    IReadOnlyList<long> Outcomes,
    double? LastDurationSeconds,
    DateTimeOffset? LastEnded,
    long Tokens,
    long ArtifactsOk,
    long ArtifactsFailed)
{
    /// <summary>The totals of each workflow among <paramref name="records"/>, by name.</summary>
    public static IReadOnlyList<WorkflowTotals> Of(IReadOnlyList<RunRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.GroupBy(r => r.Workflow, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(Of)];
    }

    private static WorkflowTotals Of(IGrouping<string, RunRecord> runs)
    {
        var outcomes = new long[StepStates.OutcomeNames.Count];
        long tokens = 0, checkedArtifacts = 0, failedArtifacts = 0;
        RunRecord? last = null;
        foreach (var run in runs)
        {
            outcomes[(int)run.Outcome]++;
            tokens += run.Tokens;
            foreach (var attempt in run.Steps.SelectMany(s => s.Attempts))
            {
                checkedArtifacts += attempt.ArtifactsChecked ?? 0;
                failedArtifacts += attempt.ArtifactsFailed ?? 0;
            }

            if (run.Ended is { } ended && run.Outcome is not RunOutcome.Running && (last is null || ended > last.Ended))
            {
                last = run;
            }
        }

        return new WorkflowTotals(runs.Key, outcomes, last is null ? null : (last.Ended!.Value - last.Started).TotalSeconds, last?.Ended, tokens, checkedArtifacts - failedArtifacts, failedArtifacts);
    }
}
