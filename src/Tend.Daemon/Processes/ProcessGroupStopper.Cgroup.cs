using Tend.Core.Processes;
using Tend.Daemon.Processes.Cgroups;

namespace Tend.Daemon.Processes;

/// <summary>The stop of a run in a cgroup: its membership is the kernel's, so nothing is scanned.</summary>
public sealed partial class ProcessGroupStopper
{
    /// <summary>
    /// Stops a run whose processes are in <paramref name="cgroup"/>: the signal to the group as in
    /// the process-group stop, and to every process of the cgroup outside the group (those that
    /// called setsid or setpgid: they get their chance to exit cleanly too); after the grace, KILL
    /// to the whole cgroup frozen (see <see cref="RunCgroup.KillAsync"/>), so a process that keeps
    /// forking cannot outrun it. Done when <c>cgroup.events</c> says it is no longer populated.
    /// The parameters are those of the process-group stop.
    /// </summary>
    /// <param name="group">The run's process group (its leader's PID); null when not known (the leftovers of a daemon that died): every process is then signalled by its PID.</param>
    public Task<StopReport> StopCgroupAsync(RunCgroup cgroup, int? group, int signal, TimeSpan grace, TimeSpan slowAfter = default, Action<IReadOnlyList<string>>? onSlow = null, bool leaderReaped = false, CancellationToken graceCut = default, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string>? escapers = null;
        var leader = group ?? 0;
        var reaped = leaderReaped || group is null;
        async ValueTask SendAsync(int sent, CancellationToken token)
        {
            if (sent == Signals.SIGKILL)
            {
                await cgroup.KillAsync(time, token);
                return;
            }

            var members = cgroup.Members().Select(pid => ProcStat.Read(pid)).OfType<ProcStat>().Where(p => !p.IsZombie).ToList();

            // A leader not yet reaped is signalled with its group.
            var outside = members.Where(m => m.ProcessGroup != leader && (reaped || m.Pid != leader)).ToList();
            escapers ??= [.. outside.Select(m => Describe(m.Pid, ProcStat.CommandLine(m.Pid)))];
            if (!reaped)
            {
                ProcessGroupStopper.Send(leader, sent);
            }
            else if (leader > 1 && members.Any(m => m.ProcessGroup == leader))
            {
                // A member holds the group's id, so it is still this run's group.
                Signals.SendToGroup(leader, sent);
            }

            foreach (var member in outside)
            {
                Signals.Send(member.Pid, sent);
            }
        }

        ValueTask<bool> AnyAliveAsync(CancellationToken token) => ValueTask.FromResult(cgroup.IsPopulated());

        ValueTask<IReadOnlyList<string>> DescribeAsync(CancellationToken token) =>
            ValueTask.FromResult<IReadOnlyList<string>>([.. cgroup.Members().Select(pid => Describe(pid, ProcStat.CommandLine(pid)))]);

        return StopAndNameEscapersAsync();

        async Task<StopReport> StopAndNameEscapersAsync()
        {
            var report = await StopAsync(AnyAliveAsync, SendAsync, DescribeAsync, signal, grace, slowAfter, onSlow, graceCut, cancellationToken);
            return report with { Escapers = escapers ?? [] };
        }
    }
}
