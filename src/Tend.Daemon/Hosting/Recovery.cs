using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Control;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>
/// What a new daemon does with the runs of one that died (SIGKILL, OOM, crash): it stops them.
/// Re-adopting would mean supervising processes whose output nobody reads any more (their pipes
/// went with the old daemon) and whose exit status a non-parent cannot collect; so each recorded
/// run that is still alive, the same process (PID and start time match, so a reused PID is never
/// taken for it), has its whole group stopped, and the stack starts afresh under the new daemon.
/// The parent-death signal (see Spawner) has usually ended the leaders already; this catches the
/// rest of their groups and leaders that ignore TERM.
/// </summary>
public sealed class Recovery(ProcessGroupStopper stopper, IEventSink events)
{
    /// <summary>
    /// Stops every orphaned run at once, each with its component's stop signal and grace from
    /// <paramref name="stopPolicyOf"/> (the stack file now; the default for a component no longer in it),
    /// so that one service that ignores TERM delays the new daemon by its own grace, not by all of theirs.
    /// </summary>
    public async Task<int> StopOrphansAsync(StackSnapshot? previous, Func<string, StopPolicy> stopPolicyOf, CancellationToken cancellationToken = default)
    {
        if (previous is null)
        {
            return 0;
        }

        var recorded = previous.Components.Where(c => c.Pid is not null).ToList();
        var stillAlive = recorded.Where(r => Orphaned(r.Pid!.Value, r.PidStartTicks)).ToList();
        events.Emit(
            EventKinds.DaemonRecovered, null,
            new("previous_pid", previous.DaemonPid),
            new("previous_started", previous.DaemonStartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            EventFields.List("recorded", recorded.Select(r => r.Name)),
            EventFields.List("still_alive", stillAlive.Select(r => r.Name)));
        await Task.WhenAll(stillAlive.Select(run => StopOrphanAsync(run, stopPolicyOf(run.Name), previous.DaemonPid, cancellationToken)));
        return stillAlive.Count;
    }

    private async Task StopOrphanAsync(ComponentSnapshot run, StopPolicy policy, int previousDaemon, CancellationToken cancellationToken)
    {
        var pid = run.Pid!.Value;
        var command = ProcStat.CommandLine(pid);
        var report = await stopper.StopAsync(pid, policy.SignalNumber, policy.Grace, cancellationToken: cancellationToken);
        events.Emit(
            EventKinds.OrphanStopped, run.Name,
            new("pid", pid), new("pgid", pid), new("command", command),
            new("signal", report.Escalated ? "SIGKILL" : $"SIG{policy.Signal}"),
            EventFields.Ms("stop_ms", report.Duration),
            new("previous_pid", previousDaemon));
    }

    /// <summary>
    /// The recorded run is still there: its leader with the same start time (so never a reused PID),
    /// or, the leader gone, members of its group: while they exist the kernel does not hand the PID
    /// to anyone else, so they are the run's for sure.
    /// </summary>
    private static bool Orphaned(int pid, long? startTicks)
    {
        var now = ProcStat.Read(pid);
        var leaderAlive = now?.IsRunningSince(startTicks) == true;
        var leftoversOnly = now is null && ProcStat.GroupMembers(pid).Count > 0;
        return leaderAlive || leftoversOnly;
    }
}
