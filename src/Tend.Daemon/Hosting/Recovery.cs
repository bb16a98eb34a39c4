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
/// <param name="cgroupDirectories">Where this stack's run cgroups may be (the daemon's, and where one before it put them): every run cgroup left there is killed.</param>
public sealed class Recovery(ProcessGroupStopper stopper, IEventSink events, string? stackFile = null, IReadOnlyList<string>? cgroupDirectories = null)
{
    /// <summary>
    /// Stops every orphaned run at once, each with its component's stop signal and grace from
    /// <paramref name="stopPolicyOf"/> (the stack file now; the default for a component no longer in it),
    /// so that one service that ignores TERM delays the new daemon by its own grace, not by all of theirs.
    /// Runs in cgroups go first, whole, wherever their processes went: with a cgroup each, nothing of
    /// them is looked for. Then whatever still carries a run tag of this stack from another daemon
    /// (a run started in the moment before state.json recorded it, a process that left its group
    /// where there were no cgroups) is stopped too.
    /// </summary>
    public async Task<int> StopOrphansAsync(StackSnapshot? previous, Func<string, StopPolicy> stopPolicyOf, CancellationToken cancellationToken = default)
    {
        List<ComponentSnapshot> stillAlive = [];
        if (previous is not null)
        {
            var recorded = previous.Components.Where(c => c.Pid is not null).ToList();
            stillAlive = [.. recorded.Where(r => Orphaned(r.Pid!.Value, r.PidStartTicks))];
            events.Emit(
                EventKinds.DaemonRecovered, null,
                new("previous_pid", previous.DaemonPid),
                new("previous_started", previous.DaemonStartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                EventFields.List("recorded", recorded.Select(r => r.Name)),
                EventFields.List("still_alive", stillAlive.Select(r => r.Name)));
        }

        var directories = (cgroupDirectories ?? []).Append(previous?.Stops?.Path).OfType<string>().Distinct(StringComparer.Ordinal);
        var stopped = await new CgroupRecovery(stopper, events).StopLeftoversAsync(directories, stopPolicyOf, previous?.DaemonPid ?? 0, cancellationToken);

        // What the cgroups held is gone; a run recorded by a daemon without cgroups is stopped by its group.
        var byGroup = stillAlive.Where(r => Orphaned(r.Pid!.Value, r.PidStartTicks)).ToList();
        await Task.WhenAll(byGroup.Select(run => StopOrphanAsync(run, stopPolicyOf(run.Name), previous!.DaemonPid, cancellationToken)));
        stopped += byGroup.Count;

        return stopped + await StopTaggedAsync(previous?.DaemonStartTicks ?? 0, stopPolicyOf, cancellationToken);
    }

    private async Task<int> StopTaggedAsync(long since, Func<string, StopPolicy> stopPolicyOf, CancellationToken cancellationToken)
    {
        if (stackFile is null)
        {
            return 0;
        }

        var self = Environment.ProcessId;
        var tagged = TaggedProcesses.Find(t => t.StackFile == stackFile && t.DaemonPid != self, since);
        await Task.WhenAll(tagged.GroupBy(t => t.Tag.Component).Select(async component =>
        {
            var policy = stopPolicyOf(component.Key);
            var commands = component.ToDictionary(p => p.Pid, p => ProcStat.CommandLine(p.Pid));
            var report = await stopper.StopEachAsync([.. component.Select(p => p.Stat)], policy.SignalNumber, policy.Grace, cancellationToken);
            foreach (var process in component)
            {
                EmitStopped(component.Key, process.Pid, process.Stat.ProcessGroup, commands[process.Pid], policy, report, process.Tag.DaemonPid);
            }
        }));
        return tagged.Count;
    }

    private async Task StopOrphanAsync(ComponentSnapshot run, StopPolicy policy, int previousDaemon, CancellationToken cancellationToken)
    {
        var pid = run.Pid!.Value;
        var command = ProcStat.CommandLine(pid);
        var report = await stopper.StopAsync(pid, policy.SignalNumber, policy.Grace, cancellationToken: cancellationToken);
        EmitStopped(run.Name, pid, pid, command, policy, report, previousDaemon);
    }

    internal static void EmitStopped(IEventSink events, string component, int pid, int group, string command, StopPolicy policy, StopReport report, int previousDaemon) =>
        events.Emit(
            EventKinds.OrphanStopped, component,
            new("pid", pid), new("pgid", group), new("command", command),
            new("signal", report.Escalated ? "SIGKILL" : $"SIG{policy.Signal}"),
            EventFields.Ms("stop_ms", report.Duration),
            new("previous_pid", previousDaemon));

    private void EmitStopped(string component, int pid, int group, string command, StopPolicy policy, StopReport report, int previousDaemon) =>
        EmitStopped(events, component, pid, group, command, policy, report, previousDaemon);

    /// <summary>
    /// The recorded run is still there: its leader with the same start time (so never a reused PID),
    /// or, the leader gone or a zombie that nobody reaped (the dead daemon was its parent), members
    /// of its group: while they exist the kernel does not hand the PID to anyone else, so they are
    /// the run's for sure. A PID now held by a process with another start time was reused: its
    /// group is the new process's, never ours.
    /// </summary>
    private static bool Orphaned(int pid, long? startTicks)
    {
        var now = ProcStat.Read(pid);
        if (now is not null && (startTicks is null || now.StartTicks != startTicks))
        {
            return false;
        }

        return now is { IsZombie: false } || ProcStat.GroupMembers(pid).Count > 0;
    }
}
