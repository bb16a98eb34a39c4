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
public sealed class Recovery(ProcessGroupStopper stopper, ISupervisorEvents events)
{
    public async Task<int> StopOrphansAsync(DaemonSnapshot? previous, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (previous is null)
        {
            return 0;
        }

        events.Emit("daemon_recovered", null, new("previous_pid", previous.DaemonPid), new("previous_at", previous.At.ToString("O")));
        var stopped = 0;
        foreach (var run in previous.Components.Where(c => c.Pid is not null))
        {
            var pid = run.Pid!.Value;
            var now = ProcStat.Read(pid);
            var leaderAlive = now is { IsZombie: false } && now.StartTicks == run.PidStartTicks;

            // With the leader gone, its group lives on only in its other members; while they exist
            // the kernel does not hand the PID to anyone else, so they are the run's for sure.
            var leftoversOnly = now is null && ProcStat.GroupMembers(pid).Count > 0;
            if (!leaderAlive && !leftoversOnly)
            {
                continue;
            }

            var command = ProcStat.CommandLine(pid);
            var report = await stopper.StopAsync(pid, 15, grace, null, cancellationToken);
            events.Emit("orphan_stopped", run.Name, new("pid", pid), new("pgid", pid), new("command", command), new("escalated", report.Escalated), new("duration_ms", (long)report.Duration.TotalMilliseconds));
            stopped++;
        }

        return stopped;
    }
}
