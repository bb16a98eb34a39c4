using Tend.Core.Status;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Hosting;
using Tend.Daemon.Processes;

namespace Tend.Cli.Verbs;

/// <summary>The stack's state: from the daemon when it answers, else from the state.json it left.</summary>
/// <param name="Problem">Why a daemon that listens did not answer (another version of tend, wedged): said above what is shown.</param>
internal sealed record StackState(StackSnapshot? Snapshot, bool Live, IReadOnlyList<string> Orphans, string? Problem = null)
{
    public static async Task<StackState> ReadAsync(DaemonConnection connection, CancellationToken cancellationToken)
    {
        var reply = await connection.CallAsync(new StatusRequest(), cancellationToken);
        if (reply?.Snapshot is { } live)
        {
            return new StackState(live, true, []);
        }

        var saved = StateStore.Read(connection.Paths.State);
        if (reply?.Error is { } error)
        {
            // A daemon listens but does not answer (another tend, wedged): its runs are still its own, not orphans.
            return new StackState(saved, false, [], error.ToString());
        }

        // A recorded run still alive with no daemon is unsupervised: say so, by PID and start time.
        var orphans = saved?.Components
            .Where(c => c.Pid is { } pid && ProcStat.IsStillRunning(pid, c.PidStartTicks))
            .Select(c => $"{c.Name} (pid {c.Pid})")
            .ToList() ?? [];

        // So is a run state.json never recorded (started in the moment before the daemon died,
        // or a process that left its group): found by the tag every run carries.
        orphans.AddRange(TaggedProcesses.Find(t => t.StackFile == connection.StackPath, saved?.DaemonStartTicks ?? 0)
            .GroupBy(p => (p.Tag.Component, p.Tag.Run))
            .Select(g => g.OrderBy(p => p.Stat.ProcessGroup == p.Pid ? 0 : 1).ThenBy(p => p.Pid).First())
            .Select(p => $"{p.Tag.Component} (pid {p.Pid})")
            .Where(named => !orphans.Contains(named))
            .ToList());
        return new StackState(saved is null ? null : DaemonGoneView.Of(saved, (pid, start) => ProcStat.IsStillRunning(pid, start)), false, orphans);
    }
}
