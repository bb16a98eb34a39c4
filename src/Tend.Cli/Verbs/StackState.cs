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
        return new StackState(saved is null ? null : DaemonGoneView.Of(saved, (pid, start) => ProcStat.IsStillRunning(pid, start)), false, orphans);
    }
}
