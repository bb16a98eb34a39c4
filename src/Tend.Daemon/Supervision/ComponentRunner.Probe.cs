using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

public sealed partial class ComponentRunner
{
    /// <summary>
    /// Each liveness probe's result (run, passed, summary), as it comes, before the state it changes.
    /// Only transitions are events; an update's health gate counts every pass, so it listens here.
    /// </summary>
    internal event Action<int, bool, string>? Probed;

    /// <summary>
    /// Probes a running service: quickly until its first pass (readiness), then every interval
    /// (liveness). <c>retries</c> failures in a row after it was healthy, or no pass at all within
    /// start period + retries × interval, complete <paramref name="liveness"/> with the reason.
    /// </summary>
    private async Task ProbeLoopAsync(DateTimeOffset startedAt, TaskCompletionSource<string> liveness, CancellationToken token)
    {
        var probe = Component.Health!;
        var everPassed = false;
        var failures = 0;
        // Until the first pass the probe runs often (see ProbePacing), so what waits for it starts at once.
        var delay = ProbePacing.Start;
        var patience = probe.StartPeriod + (probe.Interval * probe.Retries);
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(delay, _services.Time, token);
            var (outcome, took) = await ProbeOnceAsync(probe.Check, token);
            var now = _services.Time.GetUtcNow();
            Probed?.Invoke(_run, outcome.Status is CheckStatus.Pass or CheckStatus.Warn, outcome.Summary);
            if (outcome.Status is CheckStatus.Pass or CheckStatus.Warn)
            {
                if (!everPassed)
                {
                    everPassed = true;
                    // The event first: the state change lets dependents start, and the log should say why first.
                    _services.Events.Emit(EventKinds.ComponentReady, Name, new("run", _run), new("ready_as", "healthy"), EventFields.Ms("after_ms", now - startedAt));
                    BecomeReady(now, ComponentState.Healthy, outcome.Summary);
                }
                else if (failures > 0)
                {
                    SetState(ComponentState.Healthy, outcome.Summary);
                    _services.Events.Emit(EventKinds.HealthChanged, Name, new("from", "unhealthy"), new("to", "healthy"), new("reason", outcome.Summary));
                    _services.Events.Emit(EventKinds.ProbePassed, Name, ProbeFields(outcome, probe.Check, took));
                }

                failures = 0;
                RecordProbe(ProbeHealth.Passing, 0, outcome.Summary);
                delay = probe.Interval;
                continue;
            }

            RecordProbe(null, everPassed ? failures + 1 : null, outcome.Summary);
            if (!everPassed)
            {
                if (now - startedAt >= patience)
                {
                    Update(() => _health = ProbeHealth.Failing);
                    SetState(ComponentState.Unhealthy, $"never became healthy within {Core.Text.Quantities.FormatDuration(patience)}: {outcome.Summary}");
                    _services.Events.Emit(EventKinds.ProbeFailed, Name, [.. ProbeFields(outcome, probe.Check, took), new("error_class", outcome.ErrorClass ?? "unknown"), new("consecutive_failures", probe.Retries), new("threshold", probe.Retries)]);
                    liveness.TrySetResult($"readiness: {outcome.Summary} (not healthy within {Core.Text.Quantities.FormatDuration(patience)})");
                    return;
                }

                delay = ProbePacing.AfterFailure(delay, outcome.ErrorClass, now - startedAt, probe.Interval);
                continue;
            }

            failures++;
            Update(() =>
            {
                _health = ProbeHealth.Failing;
                _probeFailures = failures;
            });
            _services.Events.Emit(EventKinds.ProbeFailed, Name, [.. ProbeFields(outcome, probe.Check, took), new("error_class", outcome.ErrorClass ?? "unknown"), new("consecutive_failures", failures), new("threshold", probe.Retries)]);
            if (failures == 1)
            {
                SetState(ComponentState.Unhealthy, outcome.Summary);
                _services.Events.Emit(EventKinds.HealthChanged, Name, new("from", "healthy"), new("to", "unhealthy"), new("reason", outcome.Summary));
            }

            if (failures >= probe.Retries)
            {
                var reason = $"liveness: {outcome.Summary} ×{failures}";
                var action = Component.Restart.RestartsWhenUnhealthy ? "restart" : "none";
                _services.Events.Emit(EventKinds.LivenessFailed, Name, new("summary", reason), new("consecutive_failures", failures), new("threshold", probe.Retries), new("action", action));
                liveness.TrySetResult(reason);
                return;
            }
        }
    }

    /// <summary>An external component is never started: its health probe alone says whether dependents may start.</summary>
    private async Task WatchExternalAsync(CancellationToken stop)
    {
        if (Component.Health is not { } probe)
        {
            SetState(ComponentState.Running, "external, no health probe");
            await Task.Delay(Timeout.InfiniteTimeSpan, _services.Time, stop);
            return;
        }

        SetState(ComponentState.Waiting, $"probing {probe.Check.Title}");
        var delay = ProbePacing.Start;
        var passing = (bool?)null;
        var downSince = _services.Time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(delay, _services.Time, stop);
            var (outcome, took) = await ProbeOnceAsync(probe.Check, stop);
            var ok = outcome.Status is CheckStatus.Pass or CheckStatus.Warn;
            RecordProbe(ok ? ProbeHealth.Passing : ProbeHealth.Failing, ok ? 0 : Snapshot().ProbeFailures + 1, outcome.Summary);
            if (passing != ok)
            {
                SetState(ok ? ComponentState.Healthy : ComponentState.Unhealthy, outcome.Summary);
                _services.Events.Emit(EventKinds.HealthChanged, Name, new("from", passing is null ? "unknown" : passing.Value ? "healthy" : "unhealthy"), new("to", ok ? "healthy" : "unhealthy"), new("reason", outcome.Summary));
                _services.Events.Emit(ok ? EventKinds.ProbePassed : EventKinds.ProbeFailed, Name, ok ? ProbeFields(outcome, probe.Check, took) : [.. ProbeFields(outcome, probe.Check, took), new("error_class", outcome.ErrorClass ?? "unknown"), new("consecutive_failures", 1)]);
                passing = ok;
            }

            // Down and not listening, it is probed quickly so dependents start the moment it is back;
            // answering "no", it is probed a few times a second at most (see ProbePacing).
            if (ok)
            {
                delay = probe.Interval;
                downSince = _services.Time.GetUtcNow();
            }
            else
            {
                delay = ProbePacing.AfterFailure(delay, outcome.ErrorClass, _services.Time.GetUtcNow() - downSince, probe.Interval);
            }
        }
    }

    /// <summary>The fields every probe event has. Probes are reported on transitions only, never on every poll.</summary>
    private async Task<(CheckOutcome Outcome, TimeSpan Took)> ProbeOnceAsync(CheckSpec check, CancellationToken token)
    {
        var started = _services.Time.GetTimestamp();
        var outcome = await Probe.RunSingleAsync(check, token);
        var took = _services.Time.GetElapsedTime(started);
        _services.Counters.Probed(Name, took);
        return (outcome, took);
    }

    private EventField[] ProbeFields(CheckOutcome outcome, CheckSpec check, TimeSpan took) =>
    [
        new("probe", Component.Kind == Tend.Core.Model.ComponentKind.External ? "health" : "liveness"),
        new("check", check.Kind),
        new("target", check.Target),
        new("summary", outcome.Summary),
        new("duration_ms", Math.Round(took.TotalMilliseconds, 1)),
    ];
}
