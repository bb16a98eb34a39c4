using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Records;

/// <summary>Who a run is to: nobody (it ended), the stack's daemon, or a `tend workflow run` in the foreground.</summary>
public enum RunOwnerKind
{
    Ended,
    Daemon,
    Foreground,
}

/// <summary>
/// Whose a run is, from its runner's pid against the daemon's: decided once here, so the CLI
/// (which may find no daemon to ask) and the daemon say the same, and say what can end it.
/// </summary>
/// <param name="Pid">The runner's pid, while it runs.</param>
public sealed record RunOwner(string Run, RunOwnerKind Kind, int? Pid)
{
    /// <param name="daemonPid">The stack's daemon's pid, when one runs (its pid file, or the daemon itself).</param>
    public static RunOwner Of(RunRecord record, int? daemonPid)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Outcome != RunOutcome.Running ? new(record.Run, RunOwnerKind.Ended, null)
            : record.RunnerPid == daemonPid ? new(record.Run, RunOwnerKind.Daemon, record.RunnerPid)
            : new(record.Run, RunOwnerKind.Foreground, record.RunnerPid);
    }

    /// <summary>Why a run that goes on cannot be resumed yet, and what to type instead.</summary>
    public (string Problem, string Hint) StillRunning() => Kind == RunOwnerKind.Daemon
        ? ($"run {Run} is still running in the daemon (pid {Pid})", $"tend workflow show {Run}; tend workflow stop {Run} stops it")
        : ($"run {Run} is still running in the foreground (pid {Pid})", $"tend workflow show {Run}; stop it where it runs with Ctrl+C, or: kill {Pid}");

    /// <summary>Why the daemon cannot stop a foreground run, and how it can be stopped.</summary>
    public (string Problem, string Hint) NotTheDaemons() =>
        ($"run {Run} belongs to pid {Pid} (a `tend workflow run` in the foreground), not to the daemon", $"stop it where it runs with Ctrl+C, or: kill {Pid}");
}
