using System.Diagnostics;
using System.Globalization;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Daemon.Processes;

namespace Tend.Daemon.Supervision;

public sealed partial class ComponentRunner
{
    /// <summary>How long leftovers of a run (grandchildren holding the pipes) may keep its capture open after it exits.</summary>
    private static readonly TimeSpan CaptureDrain = TimeSpan.FromSeconds(2);

    /// <summary>Waits until every requirement holds; false when the session was stopped meanwhile.</summary>
    private async Task<bool> WaitForRequirementsAsync(CancellationToken stop)
    {
        var announced = false;
        while (true)
        {
            var next = _supervisor.Changed.Next;
            var pending = _supervisor.UnmetRequirements(Component);
            if (pending.Count == 0)
            {
                Update(() =>
                {
                    _waitingFor = null;
                    _blockers = null;
                });
                return true;
            }

            var waitingFor = string.Join(", ", pending.Select(p => p.Describe()));
            if (!announced || Snapshot().WaitingFor != waitingFor)
            {
                Update(() =>
                {
                    _waitingFor = waitingFor;
                    _blockers = pending;
                });
                SetState(ComponentState.Waiting, $"waiting for {waitingFor}");
                var blocking = pending[0];
                _services.Events.Emit(EventKinds.ComponentWaiting, Name, new("requirement", blocking.Component), new("condition", blocking.Condition.ToString().ToLowerInvariant()), new("current", blocking.State.Name()));
                announced = true;
            }

            await next.WaitAsync(stop);
        }
    }

    private async Task<RunEnd> RunOnceAsync(CancellationToken stop)
    {
        var component = Component;
        var argv = component.Command!;
        int run;
        lock (_gate)
        {
            run = ++_run;
        }

        SetState(ComponentState.Starting);
        _services.Events.Emit(EventKinds.ComponentStarting, Name, new("run", run), EventFields.List("argv", argv), new("cwd", component.WorkingDirectory), new("attempt", _backoff.Attempt));
        var program = ExecutableLookup.Find(argv[0], component.WorkingDirectory);
        if (program is null || !ExecutableLookup.IsExecutable(program))
        {
            var why = program is null ? $"{argv[0]}: not found (looked in {component.WorkingDirectory} and on PATH)" : $"{program}: not executable";
            return new RunEnd(program is null ? 127 : 126, null, TimeSpan.Zero, false, null, why);
        }

        Process process;
        try
        {
            var info = Spawner.StartInfo(program, argv.Skip(1), component.WorkingDirectory, ChildEnvironment.For(component, _supervisor.Stack));
            info.Environment["TEND_RUN"] = run.ToString(CultureInfo.InvariantCulture);
            process = await _services.Spawner.StartAsync(info);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new RunEnd(126, null, TimeSpan.Zero, false, null, $"cannot start {program}: {e.Message}");
        }

        using (process)
        {
            return await WatchRunAsync(process, run, stop);
        }
    }

    private async Task<RunEnd> WatchRunAsync(Process process, int run, CancellationToken stop)
    {
        var pid = process.Id;
        var startedAt = _services.Time.GetUtcNow();
        var started = _services.Time.GetTimestamp();
        Update(() =>
        {
            _pid = pid;
            _pidStartTicks = ProcStat.Read(pid)?.StartTicks;
            _startedAt = startedAt;
            _health = Component.Health is null ? null : ProbeHealth.Starting;
            _readyAt = null;
            _probeFailures = 0;
            _lastProbe = null;
            _nextStartAt = null;
            _backoffSeconds = null;
        });
        SetState(ComponentState.Running);
        _services.Events.Emit(EventKinds.ComponentStarted, Name, new("run", run), new("pid", pid), new("pgid", pid));

        var capture = _services.Output.CaptureAsync(Name, run, Component.Logs, process, null, CancellationToken.None);
        using var runScope = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var liveness = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probing = Component.Health is not null ? ProbeLoopAsync(startedAt, liveness, runScope.Token)
            : Component.Kind == ComponentKind.Service ? ReadyAfterMinUptimeAsync(run, startedAt, runScope.Token)
            : Task.CompletedTask;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var stopRequested = Task.Delay(Timeout.InfiniteTimeSpan, _services.Time, stop);

        var first = await Task.WhenAny(exited, liveness.Task, stopRequested);
        string? livenessReason = null;
        if (first != exited)
        {
            livenessReason = first == liveness.Task ? await liveness.Task : null;
            await StopGroupAsync(pid, run, livenessReason ?? "stop requested", _stopSignal);
            await exited;
        }

        await runScope.CancelAsync();
        await IgnoreCancellation(probing);

        var (uptime, code, signal) = await AfterExitAsync(process, run, started, capture, () =>
        {
            _health = null;
            _readyAt = null;
        });

        var stoppedOnRequest = stop.IsCancellationRequested && livenessReason is null;
        if (!stoppedOnRequest)
        {
            var tail = Redactor.RedactLines(await _services.Output.TailAsync(Name, run, 20, CancellationToken.None));
            _services.Events.Emit(
                EventKinds.ComponentExited, Name,
                EventFields.Present(
                    new("run", run), new("pid", pid),
                    signal is null ? new("exit_code", code) : new("signal", EventFields.SignalName(signal.Value)),
                    EventFields.Ms("duration_ms", uptime),
                    new("expected", livenessReason is not null),
                    EventFields.List("log_tail", tail)));
        }

        return new RunEnd(signal is null ? code : null, signal, uptime, stoppedOnRequest, livenessReason, null);
    }

    /// <summary>A service without a health check is up once it has stayed running for its min_uptime.</summary>
    private async Task ReadyAfterMinUptimeAsync(int run, DateTimeOffset startedAt, CancellationToken runEnded)
    {
        if (Component.MinUptime > TimeSpan.Zero)
        {
            await Task.Delay(Component.MinUptime, _services.Time, runEnded);
        }

        var now = _services.Time.GetUtcNow();
        // The event first, as for a probe: the state a reader then sees is explained.
        _services.Events.Emit(EventKinds.ComponentReady, Name, new("run", run), new("ready_as", "started"), EventFields.Ms("after_ms", now - startedAt));
        Update(() => _readyAt = now);
    }

    /// <summary>
    /// What follows every exit of a run or a round: the leftovers of its group stopped, its output
    /// drained (bounded: a grandchild may hold the pipes), and the exit recorded together with
    /// <paramref name="alsoRecord"/>.
    /// </summary>
    private async Task<(TimeSpan Duration, int Code, int? Signal)> AfterExitAsync(Process process, int run, long started, Task capture, Action alsoRecord)
    {
        var pid = process.Id;

        // The leader is gone; whatever it left in its group would run on unsupervised: end it too.
        if (ProcessGroupStopper.GroupAlive(pid) > 0)
        {
            await StopGroupAsync(pid, run, "leftovers of an exited run", null, leaderReaped: true);
        }

        var duration = _services.Time.GetElapsedTime(started);
        var code = process.ExitCode;
        int? signal = code is > 128 and < 160 ? code - 128 : null;
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

    private async Task StopGroupAsync(int group, int run, string reason, int? signalOverride, bool leaderReaped = false)
    {
        var policy = Component.Stop;
        var signal = signalOverride ?? policy.SignalNumber;
        var grace = signalOverride == Signals.SIGKILL ? TimeSpan.Zero : policy.Grace;
        SetState(ComponentState.Stopping, reason);
        _services.Events.Emit(EventKinds.ComponentStopping, Name, new("run", run), new("pid", group), new("pgid", group), new("signal", EventFields.SignalName(signal)), EventFields.Ms("grace_ms", grace), new("reason", reason));
        var report = await _services.Stopper.StopAsync(
            group, signal, grace,
            alive => _services.Events.Emit(EventKinds.StopSlow, Name, new("run", run), EventFields.List("alive", alive)),
            leaderReaped,
            CancellationToken.None);
        if (report.Escalated)
        {
            _services.Events.Emit(EventKinds.StopEscalated, Name, new("run", run), new("signal", "SIGKILL"), EventFields.Ms("after_ms", grace), EventFields.List("alive", report.AliveAtEscalation));
        }

        _services.Events.Emit(EventKinds.ComponentStopped, Name, new("run", run), EventFields.Ms("stop_ms", report.Duration), new("escalated", report.Escalated));
    }

    /// <summary>Decides what follows a run that ended by itself; false when the session is over.</summary>
    private async Task<bool> AfterRunAsync(RunEnd end, CancellationToken stop)
    {
        var component = Component;
        var policy = component.Restart;
        if (end.StartError is not null)
        {
            // A program that is missing or not executable will not appear by restarting it.
            Update(() => _lastExitCode = end.ExitCode);
            SetState(ComponentState.Failed, end.StartError);
            _services.Events.Emit(EventKinds.ComponentStartFailed, Name, new("run", _run), EventFields.List("argv", component.Command ?? []), new("error", end.StartError), new("error_class", end.ExitCode == 127 ? "not_found" : "not_executable"));
            return false;
        }

        if (component.Kind == ComponentKind.Job && end.Succeeded)
        {
            _services.Events.Emit(EventKinds.JobCompleted, Name, new("run", _run), new("exit_code", 0), EventFields.Ms("duration_ms", end.Uptime));
            SetState(ComponentState.Completed, $"completed in {Core.Text.Quantities.FormatDuration(end.Uptime)}");
            return false;
        }

        if (end.ExitCode == 78)
        {
            _services.Events.Emit(EventKinds.ConfigBroken, Name, new("run", _run), new("exit_code", 78), EventFields.List("log_tail", await TailLinesAsync()));
            SetState(ComponentState.ConfigBroken, "exited with 78 (EX_CONFIG): its configuration is broken; fix it, then `tend start " + Name + "`");
            return false;
        }

        var restart = end.LivenessReason is not null
            ? policy.Mode != RestartMode.No && policy.OnUnhealthy
            : policy.Mode == RestartMode.Always || (policy.Mode == RestartMode.OnFailure && !end.Succeeded);
        if (!restart)
        {
            var final = component.Kind == ComponentKind.Job ? ComponentState.Failed : ComponentState.Exited;
            SetState(final, $"{end.Describe()} (restart policy: {policy.ModeName})");
            if (component.Kind == ComponentKind.Job)
            {
                _services.Events.Emit(
                    EventKinds.JobFailed, Name,
                    EventFields.Present(
                        new("run", _run),
                        end.Signal is { } s ? new("signal", EventFields.SignalName(s)) : new("exit_code", end.ExitCode ?? -1),
                        EventFields.Ms("duration_ms", end.Uptime),
                        EventFields.List("log_tail", await TailLinesAsync())));
            }
            else
            {
                _services.Events.Emit(EventKinds.ComponentGaveUp, Name, new("run", _run), new("reason", end.Describe()), new("policy", policy.ModeName));
            }

            return false;
        }

        if (_backoff.RunEnded(end.Uptime))
        {
            _services.Events.Emit(EventKinds.BackoffReset, Name, new("run", _run), EventFields.Ms("after_ms", end.Uptime), new("attempts", _backoff.LastResetAttempts));
        }

        var now = _services.Time.GetUtcNow();
        if (!_backoff.WithinBudget(now))
        {
            var why = $"{_backoff.RecentRestarts} restarts within {Core.Text.Quantities.FormatDuration(policy.BudgetWindow)}, last: {end.Describe()}";
            _services.Events.Emit(EventKinds.CrashLoop, Name, new("restarts", _backoff.RecentRestarts), EventFields.Ms("window_ms", policy.BudgetWindow), new("last_exit", end.Describe()), EventFields.List("log_tail", await TailLinesAsync()));
            SetState(ComponentState.CrashLoop, $"crash loop: {why}; fix it, then `tend start {Name}`");
            return false;
        }

        var delay = _backoff.NextDelay(now);
        Update(() =>
        {
            _restarts++;
            _nextStartAt = now + delay;
            _backoffSeconds = delay.TotalSeconds;
        });
        // The timer starts before the event says so: whoever acts on the event (a test moving a
        // fake clock on) must find the wait already counting.
        var waiting = delay > TimeSpan.Zero ? Task.Delay(delay, _services.Time, stop) : Task.CompletedTask;
        SetState(ComponentState.Backoff, $"{end.Describe()}; restarting in {Core.Text.Quantities.FormatDuration(delay)}");
        _services.Events.Emit(EventKinds.RestartScheduled, Name, new("run", _run), new("attempt", _backoff.Attempt), EventFields.Ms("delay_ms", delay), new("reason", end.Describe()), new("policy", policy.ModeName));
        await waiting;

        return true;
    }

    private async Task<IReadOnlyList<string>> TailLinesAsync() => Redactor.RedactLines(await _services.Output.TailAsync(Name, _run, 20, CancellationToken.None));

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // The probe loop ends by cancellation when its run ends.
        }
    }
}
