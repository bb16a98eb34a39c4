using System.Diagnostics;
using Tend.Core.Events;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Daemon.Processes;

namespace Tend.Daemon.Supervision;

/// <summary>The end of a run or a round, whichever ends it: the stop of its process group, and what is recorded after.</summary>
public sealed partial class ComponentRunner
{
    /// <summary>How long leftovers of a run (grandchildren holding the pipes) may keep its capture open after it exits.</summary>
    private static readonly TimeSpan CaptureDrain = TimeSpan.FromSeconds(2);

    /// <summary>A stop slower than this (or than half the grace, if shorter) names who is still alive.</summary>
    private static readonly TimeSpan SlowStop = TimeSpan.FromSeconds(1);

    /// <summary>How many times the processes of an ended run that left its group are looked for and stopped, at most.</summary>
    private const int MaxEscapeSweeps = 10;

    /// <summary>The search for processes of ended runs that left their group, and their stop; never faults.</summary>
    private Task _escapeSweep = Task.CompletedTask;

    /// <summary>
    /// What follows every exit of a run or a round: the leftovers of its group stopped, its output
    /// drained (bounded: a grandchild may hold the pipes), and the exit recorded together with
    /// <paramref name="alsoRecord"/>.
    /// </summary>
    private async Task<(TimeSpan Duration, int Code, int? Signal)> AfterExitAsync(Process process, int run, long started, Task capture, Action alsoRecord)
    {
        var pid = process.Id;
        long? runStartTicks;
        lock (_gate)
        {
            runStartTicks = _pidStartTicks;
        }

        // The leader is gone; whatever it left in its group (in its cgroup: wherever it went) would run on unsupervised: end it too.
        if (RunCgroupNow() is { } cgroup)
        {
            if (cgroup.IsPopulated())
            {
                await StopGroupAsync(pid, run, "leftovers of an exited run", null, leaderReaped: true);
            }

            LeaveRunCgroup();
        }
        else
        {
            if (await _services.Stopper.GroupAliveAsync(pid))
            {
                await StopGroupAsync(pid, run, "leftovers of an exited run", null, leaderReaped: true);
            }

            // Off the restart's path (a scan of /proc costs about a millisecond): the session waits for it before it reports itself stopped.
            var previousSweep = _escapeSweep;
            _escapeSweep = Task.Run(async () =>
            {
                await previousSweep;
                await StopEscapedAsync(run, runStartTicks);
            });
        }

        var duration = _services.Time.GetElapsedTime(started);
        var code = process.ExitCode;
        var signal = ExitStatus.SignalOf(code);
        await Task.WhenAny(capture, Task.Delay(CaptureDrain, _services.Time, CancellationToken.None));
        var now = _services.Time.GetUtcNow();
        Update(() =>
        {
            _pid = null;
            _pidStartTicks = null;
            _lastExitCode = signal is null ? code : null;
            _lastSignal = signal;
            _lastExitAt = now;
            alsoRecord();
        });
        return (duration, code, signal);
    }

    /// <summary>Stops the run's whole group: its signal (or <paramref name="signalOverride"/>), the grace period, then KILL; returns once the group is empty.</summary>
    private async Task StopGroupAsync(int group, int run, string reason, int? signalOverride, bool leaderReaped = false)
    {
        var policy = Component.Stop;
        var signal = signalOverride ?? policy.SignalNumber;
        var grace = signalOverride == Signals.SIGKILL ? TimeSpan.Zero : policy.Grace;
        SetState(ComponentState.Stopping, reason);
        _services.Events.Emit(EventKinds.ComponentStopping, Name, new("run", run), new("pid", group), new("pgid", group), new("signal", Signals.Name(signal)), EventFields.Ms("grace_ms", grace), new("reason", reason));
        using var graceCut = new CancellationTokenSource();
        _graceCut = graceCut;
        StopReport report;
        try
        {
            var slowAfter = grace / 2 < SlowStop ? grace / 2 : SlowStop;
            void OnSlow(IReadOnlyList<string> alive) => _services.Events.Emit(EventKinds.StopSlow, Name, new("run", run), EventFields.List("alive", alive));
            report = RunCgroupNow() is { } cgroup
                ? await _services.Stopper.StopCgroupAsync(cgroup, group, signal, grace, slowAfter, OnSlow, leaderReaped, graceCut.Token)
                : await _services.Stopper.StopAsync(group, signal, grace, slowAfter, OnSlow, leaderReaped, graceCut.Token);
        }
        finally
        {
            _graceCut = null;
        }

        if (report.Escalated)
        {
            // A grace cut short by `tend kill` ended when the kill came, not at its full length.
            var after = graceCut.IsCancellationRequested && report.Duration < grace ? report.Duration : grace;
            _services.Events.Emit(EventKinds.StopEscalated, Name, new("run", run), new("signal", "SIGKILL"), EventFields.Ms("after_ms", after), EventFields.List("alive", report.AliveAtEscalation));
        }

        if (report.Escapers.Count > 0)
        {
            // The cgroup stopped them with the rest; named as the tag sweep names them without cgroups.
            _services.Events.Emit(
                EventKinds.EscapedStopped, Name,
                new("run", run), EventFields.List("processes", report.Escapers),
                new("signal", report.Escalated ? "SIGKILL" : Signals.Name(signal)), EventFields.Ms("stop_ms", report.Duration));
        }

        _services.Events.Emit(EventKinds.ComponentStopped, Name, new("run", run), EventFields.Ms("stop_ms", report.Duration), new("escalated", report.Escalated));
    }

    /// <summary>
    /// Processes of the run that left its group (setpgid, setsid, a double fork) are found by the
    /// run's tag and stopped as well, and named in an event: a run is never reported over while
    /// any process of it still runs. Only processes younger than the run's leader are looked at.
    /// </summary>
    private async Task StopEscapedAsync(int run, long? runStartTicks)
    {
        try
        {
            await StopEscapedOrThrowAsync(run, runStartTicks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _services.Events.Emit(EventKinds.SupervisorError, Name, new EventField("error", $"looking for processes of run {run} that left its group: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>
    /// Sweeps until a scan finds none of the run's processes: what an escaper forked into yet
    /// another session while it was being stopped is found by the next scan. A program that forks
    /// faster than that can still outrun it (see <see cref="MaxEscapeSweeps"/>); cgroups cannot be outrun.
    /// </summary>
    private async Task StopEscapedOrThrowAsync(int run, long? runStartTicks)
    {
        var stackFile = _supervisor.Stack.Path;
        for (var sweep = 0; sweep < MaxEscapeSweeps; sweep++)
        {
            var snapshot = await _services.Stopper.Scanner.NextAsync();
            var escaped = snapshot.Tagged(t => t.Run == run && t.DaemonPid == Environment.ProcessId && t.Component == Name && t.StackFile == stackFile, runStartTicks ?? 0);
            if (escaped.Count == 0)
            {
                return;
            }

            var described = escaped.Select(e => ProcessGroupStopper.Describe(e.Pid, ProcStat.CommandLine(e.Pid))).ToList();
            var policy = Component.Stop;
            var report = await _services.Stopper.StopEachAsync([.. escaped.Select(e => e.Stat)], policy.SignalNumber, policy.Grace);
            _services.Events.Emit(
                EventKinds.EscapedStopped, Name,
                new("run", run), EventFields.List("processes", described),
                new("signal", report.Escalated ? "SIGKILL" : Signals.Name(policy.SignalNumber)), EventFields.Ms("stop_ms", report.Duration));
        }
    }

    /// <summary>The last lines a run wrote, secrets redacted, for the events.</summary>
    private async Task<IReadOnlyList<string>> TailLinesAsync(int run) =>
        Redactor.RedactLines(await _services.Output.TailAsync(Name, run, 20, CancellationToken.None), _services.Events.Secrets);
}
