using System.Text.Json.Serialization;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Records;

/// <summary>
/// One pass of a run: its first, or a resumption of it, with its own start, end and outcome. A
/// resumption rewrites the run's outcome (failed, then succeeded) but only ever adds a pass, so
/// what is counted from passes never goes down: the exposition's counters and the KPIs count
/// each pass once, by how it ended.
/// </summary>
/// <param name="Tokens">What the pass's steps reported, apart from the passes before it.</param>
public sealed record RunPass(
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    RunOutcome Outcome,
    string? Reason,
    int RunnerPid,
    long Tokens,
    decimal Cost)
{
    /// <summary>
    /// The steps that ended failed in this pass, as they stood at its end (a step failed and then
    /// approved on review is not one). Kept so that what a pass counts does not change when a later
    /// pass runs the step again.
    /// </summary>
    public IReadOnlyList<string>? FailedSteps { get; init; }

    /// <summary>It ended as a run ends (succeeded, failed, stopped), so it has a duration.</summary>
    [JsonIgnore]
    public bool Finished => Outcome is RunOutcome.Succeeded or RunOutcome.Failed or RunOutcome.Stopped && Ended is not null;

    /// <summary>Start to end, in seconds, when <see cref="Finished"/>.</summary>
    [JsonIgnore]
    public double? Seconds => Finished ? (Ended!.Value - Started).TotalSeconds : null;
}
