using Tend.Core.Model;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>One step's place in a run while it runs; <see cref="RunState"/> guards it.</summary>
internal sealed class StepProgress(WorkflowStep step)
{
    public WorkflowStep Step { get; } = step;

    public StepState State { get; set; }

    public string? Reason { get; set; }

    public List<AttemptRecord> Attempts { get; } = [];

    public StepUsage Usage { get; set; }

    public IReadOnlyList<ArtifactRecord> Artifacts { get; set; } = [];

    /// <summary>The cache key its run was taken under (<see cref="StepCache"/>).</summary>
    public string? CacheKey { get; set; }

    /// <summary>The run whose success stands for this one.</summary>
    public string? CachedFrom { get; set; }

    /// <summary>Kills the running attempt when the run stops.</summary>
    public CancellationTokenSource? Stop { get; set; }

    /// <summary>It ran and failed with <c>on_fail = "continue"</c>, which does not fail the run.</summary>
    public bool Tolerated { get; set; }

    public StepRecord ToRecord() =>
        new(Step.Id, Step.Name, State, Reason, [.. Attempts], Usage.Tokens, Usage.Cost, Artifacts, RunDirectory.LogName(Step.Id)) { CacheKey = CacheKey, CachedFrom = CachedFrom };

    /// <summary>Takes back what a previous run of it recorded (a resumption keeps what succeeded or was skipped).</summary>
    public void Restore(StepRecord record)
    {
        State = record.State;
        Reason = record.Reason;
        Attempts.AddRange(record.Attempts);
        Usage = new StepUsage(record.Tokens, record.Cost);
        Artifacts = record.Artifacts;
        CacheKey = record.CacheKey;
        CachedFrom = record.CachedFrom;
    }
}
