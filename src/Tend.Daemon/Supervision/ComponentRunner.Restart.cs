using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Daemon.Supervision;

/// <summary>What follows a run that ended by itself, as <see cref="RestartDecision"/> decides it: the state, the event, the back-off.</summary>
public sealed partial class ComponentRunner
{
    /// <summary>Applies the decision; false when the session is over.</summary>
    private async Task<bool> AfterRunAsync(RunEnd end, CancellationToken stop)
    {
        var component = Component;
        var run = _run;
        var now = _services.Time.GetUtcNow();
        switch (RestartDecision.After(end, component, _backoff, now))
        {
            case RunFollowUp.StartFailed(var failure):
                Update(() => _lastExitCode = failure.ExitCode);
                SetState(ComponentState.Failed, failure.Message);
                _services.Events.Emit(EventKinds.ComponentStartFailed, Name, new("run", run), EventFields.List("argv", Redactor.RedactLines(component.Command ?? [], _services.Events.Secrets)), new("error", failure.Message), new("error_class", failure.ErrorClass));
                return false;

            case RunFollowUp.JobCompleted:
                _services.Events.Emit(EventKinds.JobCompleted, Name, new("run", run), new("exit_code", 0), EventFields.Ms("duration_ms", end.Uptime));
                SetState(ComponentState.Completed, $"completed in {Quantities.FormatDuration(end.Uptime)}");
                return false;

            case RunFollowUp.ConfigBroken:
                _services.Events.Emit(EventKinds.ConfigBroken, Name, new("run", run), new("exit_code", ExitStatus.ConfigError), EventFields.List("log_tail", await TailLinesAsync(run)));
                SetState(ComponentState.ConfigBroken, $"exited with {ExitStatus.ConfigError} (EX_CONFIG): its configuration is broken; fix it, then `tend start {Name}`");
                return false;

            case RunFollowUp.NotRestarted(var final, var reason):
                SetState(final, reason);
                if (component.Kind == ComponentKind.Job)
                {
                    _services.Events.Emit(
                        EventKinds.JobFailed, Name,
                        EventFields.Present(
                            new("run", run),
                            end.Signal is { } s ? new("signal", Signals.Name(s)) : new("exit_code", end.ExitCode ?? -1),
                            EventFields.Ms("duration_ms", end.Uptime),
                            EventFields.List("log_tail", await TailLinesAsync(run))));
                }
                else
                {
                    _services.Events.Emit(EventKinds.ComponentGaveUp, Name, new("run", run), new("reason", end.Describe()), new("policy", component.Restart.ModeName));
                }

                return false;

            case RunFollowUp.CrashLoop(var why):
                _services.Events.Emit(EventKinds.CrashLoop, Name, new("restarts", _backoff.RecentRestarts), EventFields.Ms("window_ms", component.Restart.BudgetWindow), new("last_exit", end.Describe()), EventFields.List("log_tail", await TailLinesAsync(run)));
                SetState(ComponentState.CrashLoop, $"crash loop: {why}; fix it, then `tend start {Name}`");
                return false;

            case RunFollowUp.Restart(var delay, var reset):
                if (reset)
                {
                    _services.Events.Emit(EventKinds.BackoffReset, Name, new("run", run), EventFields.Ms("after_ms", end.Uptime), new("attempts", _backoff.LastResetAttempts));
                }

                await BackOffAsync(end, delay, now, stop);
                return true;

            default:
                throw new InvalidOperationException("a follow-up of a run that is not handled");
        }
    }

    private async Task BackOffAsync(RunEnd end, TimeSpan delay, DateTimeOffset now, CancellationToken stop)
    {
        _services.Counters.Restarted(Name, end.LivenessReason is not null ? Core.Metrics.RestartReason.Liveness : end.Signal is not null ? Core.Metrics.RestartReason.Signal : Core.Metrics.RestartReason.Exit);
        Update(() =>
        {
            _restarts++;
            _nextStartAt = now + delay;
            _backoffSeconds = delay.TotalSeconds;
        });

        // The timer starts before the event says so: whoever acts on the event (a test moving a
        // fake clock on) must find the wait already counting.
        var waiting = delay > TimeSpan.Zero ? Task.Delay(delay, _services.Time, stop) : Task.CompletedTask;
        SetState(ComponentState.Backoff, $"{end.Describe()}; restarting in {Quantities.FormatDuration(delay)}");
        _services.Events.Emit(EventKinds.RestartScheduled, Name, new("run", _run), new("attempt", _backoff.Attempt), EventFields.Ms("delay_ms", delay), new("reason", end.Describe()), new("policy", Component.Restart.ModeName));
        await waiting;
    }
}
