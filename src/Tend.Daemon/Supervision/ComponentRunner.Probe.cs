using Tend.Core.Checks;

namespace Tend.Daemon.Supervision;

public sealed partial class ComponentRunner
{
    /// <summary>
    /// Until the first pass the probe runs often, so a service is seen ready within this long of
    /// being ready and what waits for it starts at once: each hop of a dependency chain costs no
    /// more than this. After <see cref="ReadinessFastFor"/> a slow starter is polled less eagerly.
    /// </summary>
    private static readonly TimeSpan ReadinessPollCap = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ReadinessPollStart = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan ReadinessFastFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadinessSlowPollCap = TimeSpan.FromMilliseconds(100);

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
        var delay = ReadinessPollStart;
        var patience = probe.StartPeriod + (probe.Interval * probe.Retries);
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(delay, _services.Time, token);
            var outcome = await _probe.RunSingleAsync(probe.Check, token);
            var now = _services.Time.GetUtcNow();
            if (outcome.Status is CheckStatus.Pass or CheckStatus.Warn)
            {
                if (!everPassed)
                {
                    everPassed = true;
                    SetState(ComponentState.Healthy, outcome.Summary);
                    _services.Events.Emit("component_ready", Name, new("run", _run), new("after_ms", (long)(now - startedAt).TotalMilliseconds), new("probe", outcome.Summary));
                }
                else if (failures > 0)
                {
                    SetState(ComponentState.Healthy, outcome.Summary);
                    _services.Events.Emit("health_changed", Name, new("from", "failing"), new("to", "passing"), new("probe", outcome.Summary));
                }

                failures = 0;
                Update(() =>
                {
                    _health = "passing";
                    _probeFailures = 0;
                    _lastProbe = outcome.Summary;
                });
                delay = probe.Interval;
                continue;
            }

            Update(() =>
            {
                _lastProbe = outcome.Summary;
                _probeFailures = everPassed ? failures + 1 : _probeFailures;
            });
            if (!everPassed)
            {
                if (now - startedAt >= patience)
                {
                    Update(() => _health = "failing");
                    SetState(ComponentState.Unhealthy, $"never became healthy within {Core.Config.Quantities.FormatDuration(patience)}: {outcome.Summary}");
                    _services.Events.Emit("probe_failed", Name, new("check", probe.Check.Kind), new("summary", outcome.Summary), new("error", outcome.ErrorClass), new("failures", probe.Retries));
                    liveness.TrySetResult($"readiness: {outcome.Summary} (not healthy within {Core.Config.Quantities.FormatDuration(patience)})");
                    return;
                }

                var cap = now - startedAt < ReadinessFastFor ? ReadinessPollCap : ReadinessSlowPollCap;
                delay = delay * 2 < cap ? delay * 2 : cap;
                continue;
            }

            failures++;
            Update(() =>
            {
                _health = "failing";
                _probeFailures = failures;
            });
            _services.Events.Emit("probe_failed", Name, new("check", probe.Check.Kind), new("summary", outcome.Summary), new("error", outcome.ErrorClass), new("failures", failures));
            if (failures == 1)
            {
                SetState(ComponentState.Unhealthy, outcome.Summary);
                _services.Events.Emit("health_changed", Name, new("from", "passing"), new("to", "failing"), new("probe", outcome.Summary));
            }

            if (failures >= probe.Retries)
            {
                var reason = $"liveness: {outcome.Summary} ×{failures}";
                _services.Events.Emit("liveness_failed", Name, new("reason", reason), new("failures", failures));
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
        var delay = ReadinessPollStart;
        var passing = (bool?)null;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(delay, _services.Time, stop);
            var outcome = await _probe.RunSingleAsync(probe.Check, stop);
            var ok = outcome.Status is CheckStatus.Pass or CheckStatus.Warn;
            Update(() =>
            {
                _health = ok ? "passing" : "failing";
                _lastProbe = outcome.Summary;
                _probeFailures = ok ? 0 : _probeFailures + 1;
            });
            if (passing != ok)
            {
                SetState(ok ? ComponentState.Healthy : ComponentState.Unhealthy, outcome.Summary);
                _services.Events.Emit("health_changed", Name, new("from", passing is null ? "unknown" : passing.Value ? "passing" : "failing"), new("to", ok ? "passing" : "failing"), new("probe", outcome.Summary), new("error", outcome.ErrorClass));
                passing = ok;
            }

            // Down, it is probed quickly so dependents start the moment it is back.
            delay = ok ? probe.Interval : delay * 2 < ReadinessPollCap * 5 ? delay * 2 : ReadinessPollCap * 5;
        }
    }
}
