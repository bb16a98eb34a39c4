using Tend.Core.Events;
using Tend.Core.Status;

namespace Tend.Daemon.Control.Protocol;

/// <summary>What kind of reply a line is.</summary>
public static class ReplyTypes
{
    /// <summary>The answer to a request; the last reply to it unless it streams.</summary>
    public const string Result = "result";

    /// <summary>The request failed; the last reply to it.</summary>
    public const string Error = "error";

    /// <summary>One item of a stream: a snapshot, an event or a log line.</summary>
    public const string Item = "item";

    /// <summary>A stream ended (cancelled, or nothing more to follow).</summary>
    public const string End = "end";
}

/// <summary>
/// A reply: one JSON object on one line, for the request with the same id. Flat, with the fields
/// of its type set and the others left out, so a client reads any reply with one type and a newer
/// daemon can add fields an older client ignores.
/// </summary>
public sealed record ControlReply(long Id, string Type)
{
    public ControlError? Error { get; init; }

    public HelloResult? Hello { get; init; }

    public StackSnapshot? Snapshot { get; init; }

    public UpResult? Up { get; init; }

    public ActionResult? Action { get; init; }

    public ReloadResult? Reload { get; init; }

    /// <summary>An event as its line in the files holds it (read it with <see cref="EventJson.FromElement"/>).</summary>
    public System.Text.Json.JsonElement? Event { get; init; }

    public LogLineReply? Log { get; init; }

    public HttpResult? Http { get; init; }

    public UpdateResult? Update { get; init; }

    /// <summary>The answer to <see cref="RunWorkflowRequest"/> (the run as it began) and <see cref="StopWorkflowRequest"/> (the run as it ended).</summary>
    public WorkflowRunResult? WorkflowRun { get; init; }

    /// <summary>The answer to <see cref="MetricsRequest"/>: Prometheus' text exposition format 0.0.4, whole.</summary>
    public string? Metrics { get; init; }

    /// <summary>
    /// Set by `tend api --stdio` when it answered a status itself because no daemon did: then
    /// <see cref="Snapshot"/> is the state the daemon left (or null when nothing has run), as
    /// `tend status` reads it locally. A daemon never sets it.
    /// </summary>
    public SavedStateResult? Saved { get; init; }

    /// <summary>The answer to <see cref="DoctorRequest"/> (from `tend api --stdio` only).</summary>
    public DoctorResult? Doctor { get; init; }

    /// <summary>The answer to <see cref="LogFilesRequest"/> (from `tend api --stdio` only).</summary>
    public LogFilesResult? LogFiles { get; init; }
}

/// <summary>What `tend status` knows of a stack whose daemon does not answer.</summary>
/// <param name="Orphans">Runs still alive without a daemon, "name (pid N)".</param>
/// <param name="Problem">Why a daemon that listens did not answer; null when none listens.</param>
public sealed record SavedStateResult(IReadOnlyList<string> Orphans, string? Problem);

/// <summary>A user's error as a value: what, and what to do.</summary>
/// <param name="Code">Stable: <c>not_a_component</c>, <c>stack_file_invalid</c>, <c>unsupported_version</c>, <c>malformed</c>, <c>too_large</c>, <c>refused</c>, <c>not_running</c>, <c>daemon_failed</c>.</param>
public sealed record ControlError(string Code, string Message, string? Hint = null)
{
    public override string ToString() => Hint is null ? Message : $"{Message} ({Hint})";
}

public sealed record HelloResult(string Version, int Protocol, int Pid, string Stack, string StackFile);

/// <param name="Order">The components the up starts, requirements first.</param>
/// <param name="Changes">What a reload of the stack file changed, one line a component; empty when it did not change.</param>
/// <param name="Restarted">Components the reload restarted.</param>
public sealed record UpResult(IReadOnlyList<string> Order, IReadOnlyList<string> Changes, IReadOnlyList<string> Restarted, StackSnapshot Snapshot);

/// <summary>The components acted on, and the snapshot just after.</summary>
public sealed record ActionResult(IReadOnlyList<string> Components, StackSnapshot Snapshot);

public sealed record ReloadResult(IReadOnlyList<string> Changes, IReadOnlyList<string> Restarted);

/// <summary>A line of a run's log, as `tend logs` prints it.</summary>
/// <param name="Stream"><c>out</c>, <c>err</c>, <c>tend</c> (a note of tend's own) or <c>raw</c> (not in tend's format).</param>
/// <param name="Continued">A piece of a line longer than the line limit: it continues the one before.</param>
public sealed record LogLineReply(DateTimeOffset Time, string Stream, string Text, bool Continued);

/// <summary>The HTTP face as it listens now: where, whether other hosts may connect, and where its token is (and whether it exists).</summary>
public sealed record HttpResult(string Url, string Listen, bool AllowRemote, string TokenFile, bool TokenExists);

/// <summary>How an update ended (<see cref="UpdateOutcomes"/>), with the gate's evidence.</summary>
/// <param name="Reason">Why the new version was not kept; null when it was.</param>
/// <param name="Evidence">What the gate saw of the version that runs now (or why the rollback failed).</param>
public sealed record UpdateResult(string Component, string Outcome, string From, string To, string? Reason, IReadOnlyList<string> Evidence, double Seconds)
{
    public string? Digest { get; init; }
}

/// <summary>A run the daemon hosts.</summary>
/// <param name="Run">Its id, as <c>tend workflow show RUN</c> takes it.</param>
/// <param name="Directory">Where its run.json and step logs are.</param>
/// <param name="Outcome">As run.json spells it: <c>running</c> when it began, else how it ended.</param>
/// <param name="Reason">Why it failed or stopped, when it ended so.</param>
/// <param name="Pid">The process that runs it: the daemon.</param>
public sealed record WorkflowRunResult(string Run, string Workflow, string Directory, string Outcome, string? Reason, int Pid)
{
    /// <summary>The run it resumes, when it is a resumption.</summary>
    public string? ResumedFrom { get; init; }
}

public static class UpdateOutcomes
{
    public const string Committed = "committed";
    public const string RolledBack = "rolled_back";
    public const string RollbackFailed = "rollback_failed";

    /// <summary>It runs that version already: nothing was done.</summary>
    public const string Unchanged = "unchanged";
}
