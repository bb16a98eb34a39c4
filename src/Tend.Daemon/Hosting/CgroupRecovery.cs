using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Daemon.Processes;
using Tend.Daemon.Processes.Cgroups;

namespace Tend.Daemon.Hosting;

/// <summary>
/// What a new daemon does with the run cgroups of one that died: every process still in one is
/// stopped (its component's signal, its grace, then <c>cgroup.kill</c>) and named in an
/// <c>orphan_stopped</c> event, and the emptied cgroups are removed. A cgroup holds all its run
/// ever started, escapers included, so nothing has to be searched for.
/// </summary>
internal sealed class CgroupRecovery(ProcessGroupStopper stopper, IEventSink events)
{
    /// <summary>Stops what is left in the run cgroups under each of <paramref name="directories"/>, all at once; returns how many processes were stopped.</summary>
    public async Task<int> StopLeftoversAsync(IEnumerable<string> directories, Func<string, StopPolicy> stopPolicyOf, int previousDaemon, CancellationToken cancellationToken)
    {
        var stacks = directories.Where(Directory.Exists).Select(d => new StackCgroups(d)).ToList();
        var counts = await Task.WhenAll(stacks.SelectMany(s => s.Runs()).Select(run => StopAsync(run.Component, run.Cgroup, stopPolicyOf(run.Component), previousDaemon, cancellationToken)));
        foreach (var stack in stacks)
        {
            stack.RemoveEmpty();
        }

        return counts.Sum();
    }

    private async Task<int> StopAsync(string component, RunCgroup cgroup, StopPolicy policy, int previousDaemon, CancellationToken cancellationToken)
    {
        var members = cgroup.Members().Select(pid => ProcStat.Read(pid)).OfType<ProcStat>().Where(p => !p.IsZombie).ToList();
        if (members.Count == 0)
        {
            cgroup.TryRemove();
            return 0;
        }

        var commands = members.ToDictionary(m => m.Pid, m => ProcStat.CommandLine(m.Pid));
        var daemons = members.ToDictionary(m => m.Pid, m => RunTag.Read(m.Pid)?.DaemonPid ?? previousDaemon);
        var report = await stopper.StopCgroupAsync(cgroup, null, policy.SignalNumber, policy.Grace, cancellationToken: cancellationToken);
        cgroup.TryRemove();
        foreach (var member in members)
        {
            Recovery.EmitStopped(events, component, member.Pid, member.ProcessGroup, commands[member.Pid], policy, report, daemons[member.Pid]);
        }

        return members.Count;
    }
}
