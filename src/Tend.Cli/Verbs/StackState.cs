using Tend.Core.Status;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Hosting;
using Tend.Daemon.Processes;

namespace Tend.Cli.Verbs;

/// <summary>The stack's state: from the daemon when it answers, else from the state.json it left.</summary>
internal sealed record StackState(StackSnapshot? Snapshot, bool Live, IReadOnlyList<string> Orphans)
{
    public static async Task<StackState> ReadAsync(DaemonConnection connection, CancellationToken cancellationToken)
    {
        if ((await connection.CallAsync(new StatusRequest(), cancellationToken))?.Snapshot is { } live)
        {
            return new StackState(live, true, []);
        }

        var saved = StateStore.Read(connection.Paths.State);

        // A recorded run still alive with no daemon is unsupervised: say so, by PID and start time.
        var orphans = saved?.Components
            .Where(c => c.Pid is { } pid && ProcStat.IsStillRunning(pid, c.PidStartTicks))
            .Select(c => $"{c.Name} (pid {c.Pid})")
            .ToList() ?? [];
        return new StackState(saved, false, orphans);
    }
}
