using System.Diagnostics;
using System.Globalization;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Daemon.Processes;

namespace Tend.Daemon.Supervision;

/// <summary>One run of a service or job: its start, and the watch over it until it exits or is stopped.</summary>
public sealed partial class ComponentRunner
{
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
        _services.Events.Emit(EventKinds.ComponentStarting, Name, new("run", run), EventFields.List("argv", Redactor.RedactLines(argv, _services.Events.Secrets)), new("cwd", component.WorkingDirectory), new("attempt", _backoff.Attempt));
        var environment = new Dictionary<string, string>(ChildEnvironment.For(component, _supervisor.Stack), StringComparer.Ordinal);
        foreach (var (key, value) in RunTag.Variables(run, Environment.ProcessId))
        {
            environment[key] = value;
        }

        var cgroup = EnterRunCgroup(run);
        var outcome = await _services.Launcher.StartAsync(new LaunchRequest(argv[0], [.. argv.Skip(1)], component.WorkingDirectory, environment) { DieWithParent = true, ReplaceEnvironment = !component.EnvInherit.All, Cgroup = cgroup?.Path });
        if (outcome is LaunchOutcome.Failed failed)
        {
            LeaveRunCgroup();
            return RunEnd.NotStarted(failed.Failure);
        }

        var started = (LaunchOutcome.Started)outcome;
        ConfirmRunCgroup(started, run);
        using var process = started.Process;
        return await WatchRunAsync(process, run, stop);
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

        var capture = _services.Output.CaptureAsync(Name, run, Component.Logs, process, _services.Lines.ObserverFor(Name, run), CancellationToken.None);
        using var runScope = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var liveness = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Component.Health is not null ? ProbeLoopAsync(startedAt, liveness, runScope.Token)
            : Component.Kind == ComponentKind.Service ? ReadyAfterMinUptimeAsync(run, startedAt, runScope.Token)
            : Task.CompletedTask;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var stopRequested = Task.Delay(Timeout.InfiniteTimeSpan, _services.Time, stop);

        var first = await Task.WhenAny(exited, liveness.Task, stopRequested);
        string? livenessReason = null;
        if (first != exited)
        {
            livenessReason = first == liveness.Task ? await liveness.Task : null;
            await StopGroupAsync(pid, run, livenessReason ?? _stopReason ?? "stop requested", livenessReason is null ? _stopSignal : null);
            await exited;
        }

        await runScope.CancelAsync();
        await IgnoreCancellation(watching);

        var (uptime, code, signal) = await AfterExitAsync(process, run, started, capture, () =>
        {
            _health = null;
            _readyAt = null;
        });

        var stoppedOnRequest = stop.IsCancellationRequested && livenessReason is null;
        if (!stoppedOnRequest)
        {
            _services.Events.Emit(
                EventKinds.ComponentExited, Name,
                EventFields.Present(
                    new("run", run), new("pid", pid),
                    signal is null ? new("exit_code", code) : new("signal", Signals.Name(signal.Value)),
                    EventFields.Ms("duration_ms", uptime),
                    new("expected", livenessReason is not null),
                    EventFields.List("log_tail", await TailLinesAsync(run))));
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
        BecomeReady(now, ComponentState.Running, null);
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // The watch of a run ends by cancellation when its run ends.
        }
    }
}
