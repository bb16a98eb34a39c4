using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// A workflow's counts over every run record kept (no window: the exposition's counters, which
/// Prometheus turns into rates itself), and its last ended run. Each run and each resumption of
/// it (a <see cref="RunPass"/>) counts once, by how it ended.
/// </summary>
/// <param name="Outcomes">Passes by outcome, indexed as <see cref="RunOutcome"/>: the running ones are a gauge, the rest only grow.</param>
public sealed record WorkflowTotals(
    string Workflow,
    IReadOnlyList<long> Outcomes,
    double? LastDurationSeconds,
    DateTimeOffset? LastEnded,
    long Tokens,
    long ArtifactsOk,
    long ArtifactsFailed)
{
    /// <summary>The upper bounds, in seconds, of the run duration histogram: the runbook's target (2 minutes) is one of them, so its p95 is exact there.</summary>
    public static readonly IReadOnlyList<double> DurationBounds = [5, 15, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>Ended passes (succeeded, failed, stopped) by their own duration: each bucket of <see cref="DurationBounds"/>'s own count, the last above every bound.</summary>
    public IReadOnlyList<long> Durations { get; init; } = new long[DurationBounds.Count + 1];

    /// <summary>The ended passes' durations added up, in seconds.</summary>
    public double DurationSum { get; init; }

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
        var durations = new long[DurationBounds.Count + 1];
        var durationSum = 0.0;
        RunPass? last = null;
        foreach (var run in runs)
        {
            // Passes, not runs: a resumption adds a pass and never rewrites one, so no count goes down.
            foreach (var pass in run.AllPasses())
            {
                outcomes[(int)pass.Outcome]++;
                if (pass.Seconds is { } seconds)
                {
                    var bucket = 0;
                    while (bucket < DurationBounds.Count && seconds > DurationBounds[bucket])
                    {
                        bucket++;
                    }

                    durations[bucket]++;
                    durationSum += seconds;
                }

                if (pass.Ended is { } ended && pass.Outcome is not RunOutcome.Running && (last is null || ended > last.Ended))
                {
                    last = pass;
                }
            }

            tokens += run.Tokens;
            foreach (var attempt in run.Steps.SelectMany(s => s.Attempts))
            {
                checkedArtifacts += attempt.ArtifactsChecked ?? 0;
                failedArtifacts += attempt.ArtifactsFailed ?? 0;
            }
        }

        return new WorkflowTotals(runs.Key, outcomes, last is null ? null : (last.Ended!.Value - last.Started).TotalSeconds, last?.Ended, tokens, checkedArtifacts - failedArtifacts, failedArtifacts)
        {
            Durations = durations,
            DurationSum = durationSum,
        };
    }
}
