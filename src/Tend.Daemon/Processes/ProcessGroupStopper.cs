using Tend.Core.Processes;

namespace Tend.Daemon.Processes;

/// <summary>How a stop of a process group went.</summary>
public sealed record StopReport(TimeSpan Duration, bool Escalated, IReadOnlyList<string> AliveAtEscalation, bool GroupWasEmpty)
{
    public bool Clean => !Escalated;

    /// <summary>Processes of the run outside its process group when the signal went (a cgroup stop sees them), described.</summary>
    public IReadOnlyList<string> Escapers { get; init; } = [];
}

/// <summary>
/// Stops a whole process group: the configured signal to the group, then KILL to the group after
/// the grace period. Done only when no process of the group is left, whether the leader exited
/// early (process-compose #520: a leader that exits on TERM must not cancel the KILL of the rest)
/// or not. Membership is read from /proc, so grandchildren that left the leader behind count too;
/// every stop in progress shares one scan per tick (<see cref="Scanner"/>). A run in a cgroup is
/// stopped by its cgroup instead (the other part of this class), with no scan at all.
/// </summary>
public sealed partial class ProcessGroupStopper(TimeProvider time, ProcScanner? scanner = null)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>The scans of /proc that every stop in progress shares.</summary>
    public ProcScanner Scanner { get; } = scanner ?? new ProcScanner(time);

    /// <param name="group">The run's process group, which is its leader's PID.</param>
    /// <param name="slowAfter">When the stop counts as slow: <paramref name="onSlow"/> is then called once, with who is still alive.</param>
    /// <param name="leaderReaped">
    /// The leader has exited and been waited for: only the group counts. Its PID may already
    /// belong to another program, which must never be signalled; the group's id cannot be reused
    /// while any member is left, so the members are certainly ours.
    /// </param>
    /// <param name="graceCut">Ends the grace early: KILL at once (`tend kill` while a stop waits out a long grace).</param>
    public Task<StopReport> StopAsync(int group, int signal, TimeSpan grace, TimeSpan slowAfter = default, Action<IReadOnlyList<string>>? onSlow = null, bool leaderReaped = false, CancellationToken graceCut = default, CancellationToken cancellationToken = default)
    {
        void Send(int sent)
        {
            if (leaderReaped)
            {
                Signals.SendToGroup(group, sent);
            }
            else
            {
                ProcessGroupStopper.Send(group, sent);
            }
        }

        async ValueTask<IReadOnlyList<string>> DescribeAsync(CancellationToken token) => Describe(await Scanner.NextAsync(token), group);

        return StopAsync(token => leaderReaped ? GroupAliveAsync(group, token) : AliveAsync(group, token), Synchronous(Send), DescribeAsync, signal, grace, slowAfter, onSlow, graceCut, cancellationToken);
    }

    /// <summary>
    /// Stops processes one by one (those that left their run's group): the signal to each, the
    /// grace, then KILL to each still there. Each is signalled only while it is the process first
    /// seen (same start time), so a PID handed to another program meanwhile is never hit; one that
    /// leads a group of its own (a setsid escaper) has its whole group signalled, so what it forks
    /// during the stop goes with it.
    /// </summary>
    public Task<StopReport> StopEachAsync(IReadOnlyList<ProcStat> processes, int signal, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var leaders = processes.Where(p => p.ProcessGroup == p.Pid).Select(p => p.Pid).ToList();
        List<ProcStat> Running() => [.. processes.Where(p => ProcStat.IsStillRunning(p.Pid, p.StartTicks))];
        void Send(int sent)
        {
            foreach (var process in Running())
            {
                Signals.Send(process.Pid, sent);
            }

            // A group's id is not reused while any member is left: these are still the escapers' groups.
            foreach (var leader in leaders.Where(Signals.GroupExists))
            {
                Signals.SendToGroup(leader, sent);
            }
        }

        async ValueTask<bool> AnyAliveAsync(CancellationToken token)
        {
            if (Running().Count > 0)
            {
                return true;
            }

            var existing = leaders.Where(Signals.GroupExists).ToList();
            return existing.Count > 0 && await Scanner.NextAsync(token) is var snapshot && existing.Any(l => snapshot.GroupMembers(l).Count > 0);
        }

        return StopAsync(
            AnyAliveAsync, Synchronous(Send),
            _ => ValueTask.FromResult<IReadOnlyList<string>>([.. Running().Select(p => Describe(p.Pid, ProcStat.CommandLine(p.Pid)))]),
            signal, grace, default, null, default, cancellationToken);
    }

    /// <summary>
    /// The one stop sequence: the signal, polls (2 ms doubling to 100 ms) until nothing is alive or
    /// the grace is over, then KILL until nothing is. Done only when nothing is left, whether the
    /// leader exited early (process-compose #520) or not.
    /// </summary>
    private async Task<StopReport> StopAsync(
        Func<CancellationToken, ValueTask<bool>> anyAlive, Func<int, CancellationToken, ValueTask> send, Func<CancellationToken, ValueTask<IReadOnlyList<string>>> describe,
        int signal, TimeSpan grace, TimeSpan slowAfter, Action<IReadOnlyList<string>>? onSlow, CancellationToken graceCut, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (!await anyAlive(cancellationToken))
        {
            return new StopReport(TimeSpan.Zero, false, [], GroupWasEmpty: true);
        }

        await send(signal, cancellationToken);
        var slowReported = false;
        var poll = FirstPoll;
        while (time.GetElapsedTime(started) < grace && !graceCut.IsCancellationRequested)
        {
            if (!await anyAlive(cancellationToken))
            {
                return new StopReport(time.GetElapsedTime(started), false, [], GroupWasEmpty: false);
            }

            if (!slowReported && onSlow is not null && time.GetElapsedTime(started) >= slowAfter)
            {
                slowReported = true;
                onSlow(await describe(cancellationToken));
            }

            // Polls of at most 100 ms: a cut grace is seen within one.
            await Task.Delay(poll, time, cancellationToken);
            poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
        }

        if (!await anyAlive(cancellationToken))
        {
            return new StopReport(time.GetElapsedTime(started), false, [], GroupWasEmpty: false);
        }

        var alive = await describe(cancellationToken);
        await send(Signals.SIGKILL, cancellationToken);
        poll = FirstPoll;
        while (await anyAlive(cancellationToken))
        {
            // KILL cannot be ignored; what remains is dying or stuck in the kernel (D state).
            await Task.Delay(poll, time, cancellationToken);
            poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
            await send(Signals.SIGKILL, cancellationToken);
        }

        return new StopReport(time.GetElapsedTime(started), true, alive, GroupWasEmpty: false);
    }

    private static Func<int, CancellationToken, ValueTask> Synchronous(Action<int> send) => (signal, _) =>
    {
        send(signal);
        return ValueTask.CompletedTask;
    };

    /// <summary>
    /// Live members of the group, counting the leader even before it has its own group: for a
    /// moment after the start the leader is still in tend's group, until setsid(1) runs.
    /// The leader is looked at first, then the group: setsid only ever moves the leader into its
    /// group, so in this order a leader that moves between the two looks is counted either way,
    /// where the other order could see it in neither place and call a running group empty.
    /// kill(-pgid, 0) before /proc: in the common case the group is gone and /proc need not be read.
    /// </summary>
    public static int Alive(int group)
    {
        var outside = LeaderOutsideItsGroup(group) ? 1 : 0;
        return outside + GroupAlive(group);
    }

    /// <summary><see cref="Alive"/> from the shared scan: anything of the group (or its leader outside it) is alive.</summary>
    public async ValueTask<bool> AliveAsync(int group, CancellationToken cancellationToken = default) =>
        LeaderOutsideItsGroup(group) || await GroupAliveAsync(group, cancellationToken);

    /// <summary>Live members of the group alone: for a group whose leader has been reaped.</summary>
    public static int GroupAlive(int group) => Signals.GroupExists(group) ? ProcStat.GroupMembers(group).Count : 0;

    /// <summary><see cref="GroupAlive"/> from the shared scan, which is only waited for while the group exists at all.</summary>
    public async ValueTask<bool> GroupAliveAsync(int group, CancellationToken cancellationToken = default) =>
        Signals.GroupExists(group) && (await Scanner.NextAsync(cancellationToken)).GroupMembers(group).Count > 0;

    private static bool LeaderOutsideItsGroup(int leader) =>
        ProcStat.Read(leader) is { IsZombie: false } stat && stat.ProcessGroup != leader;

    /// <summary>The leader first, for the same reason as in <see cref="Alive"/>: a leader outside its group then gets the signal wherever it goes.</summary>
    private static void Send(int group, int signal)
    {
        if (LeaderOutsideItsGroup(group))
        {
            Signals.Send(group, signal);
        }

        Signals.SendToGroup(group, signal);
    }

    /// <summary>"pid 4242 (python3 app.py --port 80)" for each live member.</summary>
    public static IReadOnlyList<string> Describe(int group) => Describe(new ProcSnapshot([.. ProcStat.Live()]), group);

    private static IReadOnlyList<string> Describe(ProcSnapshot snapshot, int group) =>
        [.. snapshot.GroupMembers(group).Select(m => Describe(m.Pid, ProcStat.CommandLine(m.Pid)))];

    /// <summary>"pid 4242 (python3 app.py --port 80)", the command line cut at 120 characters.</summary>
    public static string Describe(int pid, string commandLine) => $"pid {pid} ({(commandLine.Length <= 120 ? commandLine : commandLine[..120] + "…")})";
}
