using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Records;

/// <summary>
/// One run of a workflow as <c>run.json</c> holds it: rewritten whole (temp file and rename) at
/// every change of state, so a reader sees the run as it was at some moment, never half of one.
/// </summary>
/// <param name="Run">The run's id: sortable by time (<c>20261129-133005-4f2a</c>).</param>
/// <param name="RunnerPid">The process that runs it: a record still <c>running</c> whose runner is gone was interrupted.</param>
public sealed record RunRecord(
    string Workflow,
    string Source,
    string Directory,
    string Run,
    IReadOnlyDictionary<string, string> Inputs,
    RunOutcome Outcome,
    string? Reason,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    int RunnerPid,
    long Tokens,
    decimal Cost,
    IReadOnlyList<StepRecord> Steps)
{
    /// <summary>The document's version: fields are only ever added.</summary>
    public int Schema { get; init; } = 1;

    /// <summary>The run this one resumed, when it is a resumption.</summary>
    public string? ResumedFrom { get; init; }

    /// <summary>Its first pass and each resumption's, oldest first (absent from records written before passes were kept).</summary>
    public IReadOnlyList<RunPass>? Passes { get; init; }

    /// <summary>Its passes; a record without them reads as one pass, the whole run.</summary>
    public IReadOnlyList<RunPass> AllPasses() => Passes is { Count: > 0 } passes ? passes : [new RunPass(Started, Ended, Outcome, Reason, RunnerPid, Tokens, Cost) { FailedSteps = FailedSteps() }];

    /// <summary>The record of a run whose runner went away while it ran: it, and its last pass, read interrupted.</summary>
    public RunRecord Interrupted(string reason) => this with
    {
        Outcome = RunOutcome.Interrupted,
        Reason = reason,
        Passes = LastPassEnded(last => last with { Outcome = RunOutcome.Interrupted, Reason = reason }),
    };

    /// <summary>The steps that stand failed in the record.</summary>
    public IReadOnlyList<string> FailedSteps() => [.. Steps.Where(s => s.State == StepState.Failed).Select(s => s.Id)];

    /// <summary>The record of a run that ended (<paramref name="outcome"/>) other than by its runner's own end: it, and its last pass if still running, end so.</summary>
    public RunRecord EndedAs(RunOutcome outcome, string? reason, DateTimeOffset at) => this with
    {
        Outcome = outcome,
        Reason = reason,
        Ended = at,
        Passes = LastPassEnded(last => last with { Outcome = outcome, Reason = reason, Ended = at, FailedSteps = FailedSteps() }),
    };

    /// <summary>The passes with the last one, while it still reads running, ended by <paramref name="end"/>.</summary>
    private IReadOnlyList<RunPass> LastPassEnded(Func<RunPass, RunPass> end)
    {
        var passes = AllPasses();
        return [.. passes.Take(passes.Count - 1), passes[^1].Outcome == RunOutcome.Running ? end(passes[^1]) : passes[^1]];
    }

    public StepRecord? Find(string id) => Steps.FirstOrDefault(s => s.Id == id);
}

/// <param name="Log">The step's log, relative to the run's directory (<c>steps/ID.log</c>).</param>
public sealed record StepRecord(
    string Id,
    string? Name,
    StepState State,
    string? Reason,
    IReadOnlyList<AttemptRecord> Attempts,
    long Tokens,
    decimal Cost,
    IReadOnlyList<ArtifactRecord> Artifacts,
    string Log)
{
    /// <summary>What its run depended on, hashed (docs/workflows.md, "Caching"), when it succeeded with <c>policy.cache</c> on.</summary>
    public string? CacheKey { get; init; }

    /// <summary>The earlier run whose success stood for this one: it did not run.</summary>
    public string? CachedFrom { get; init; }

    public DateTimeOffset? Started => Attempts.Count > 0 ? Attempts[0].Started : null;

    public DateTimeOffset? Ended => Attempts.Count > 0 ? Attempts[^1].Ended : null;
}

/// <param name="Signal">The signal that ended it (<c>SIGKILL</c>), when one did.</param>
/// <param name="Reason">Why it failed, in words ("exit 3", "timed out after 5s", "artifacts/lint.json: /0/line: expected integer").</param>
public sealed record AttemptRecord(
    int Number,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    int? Pid,
    int? ExitCode,
    string? Signal,
    string? Reason)
{
    /// <summary>The failure's class as the rounds classifier read it (<c>rate_limit</c>...), when it matched.</summary>
    public string? Class { get; init; }

    /// <summary>How many of the step's <c>emits</c> this attempt's checks looked at (null: the checks did not run, or an older record).</summary>
    public int? ArtifactsChecked { get; init; }

    /// <summary>How many of those fell short (missing, empty, schema-invalid); the problems themselves are in <see cref="Reason"/>.</summary>
    public int? ArtifactsFailed { get; init; }
}

/// <param name="Path">As the workflow names it, relative to its directory.</param>
public sealed record ArtifactRecord(string Path, long Bytes)
{
    /// <summary>Its content's SHA-256 (lower-case hex) when the step succeeded with <c>policy.cache</c> on: a later run is cached from it only while the file still has it.</summary>
    public string? Sha256 { get; init; }
}
