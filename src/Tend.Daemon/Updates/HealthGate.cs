using System.Threading.Channels;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Updates;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Updates;

/// <summary>
/// Watches a component's run after an update's restart and feeds <see cref="GateJudge"/>: every
/// probe result (from <see cref="ComponentRunner"/>'s probe loop, passes included, which are not
/// events), and every change of its state (a crash, a stop, readiness, a job's end). Ends with the
/// judge's verdict at the end of the window, or sooner when something fails it.
/// </summary>
internal sealed class HealthGate(ComponentRunner runner, Changed changed, TimeProvider time)
{
    /// <param name="previousRun">The run number before the restart: the gate watches the first run after it.</param>
    public async Task<GateVerdict> WatchAsync(UpdateSpec spec, int previousRun, DateTimeOffset restartedAt, CancellationToken cancellationToken)
    {
        var component = runner.Component;
        var judge = new GateJudge(component.Kind, component.Health is not null, spec.Passes, spec.Window, restartedAt);
        var probes = Channel.CreateUnbounded<(int Run, bool Passed, string Summary, DateTimeOffset At)>();
        void OnProbe(int run, bool passed, string summary) => probes.Writer.TryWrite((run, passed, summary, time.GetUtcNow()));
        runner.Probed += OnProbe;
        try
        {
            int? watched = null;
            while (true)
            {
                var next = changed.Next;
                watched = Observe(judge, runner.Snapshot(), previousRun, watched);
                while (probes.Reader.TryRead(out var probe))
                {
                    // Only the watched run's probes count: never a pass of the version before.
                    if (probe.Run > previousRun && (watched is null || probe.Run == watched))
                    {
                        judge.Probe(probe.Passed, probe.Summary, probe.At);
                    }
                }

                var now = time.GetUtcNow();
                if (judge.Tick(now) is { Decided: true } verdict)
                {
                    return verdict;
                }

                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var remaining = judge.Deadline - now;
                await Task.WhenAny(next, probes.Reader.WaitToReadAsync(wake.Token).AsTask(), Task.Delay(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, time, wake.Token));
                await wake.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            runner.Probed -= OnProbe;
        }
    }

    /// <summary>What the snapshot says about the run the gate watches; returns that run's number once it began.</summary>
    private static int? Observe(GateJudge judge, ComponentSnapshot now, int previousRun, int? watched)
    {
        if (watched is null)
        {
            if (now.Run > previousRun)
            {
                watched = now.Run;
            }
            else
            {
                // A start that failed before any run began: its pre-flight, or a stop asked for meanwhile.
                if (now.State is ComponentState.Failed or ComponentState.CrashLoop or ComponentState.ConfigBroken or ComponentState.Stopped)
                {
                    judge.Exited(false, $"{now.State.Name().Replace('_', ' ')}: {now.Reason ?? "no run began"}", now.Since);
                }

                return null;
            }
        }

        if (now.Run != watched)
        {
            judge.Exited(false, $"run {watched} ended and run {now.Run} began ({Ended(now)})", now.LastExitAt ?? now.Since);
            return watched;
        }

        if (now.ReadyAt is { } ready)
        {
            judge.Ready(ready);
        }

        switch (now.State)
        {
            case ComponentState.Completed:
                judge.Exited(true, Ended(now), now.LastExitAt ?? now.Since);
                break;
            case ComponentState.Backoff or ComponentState.Exited or ComponentState.Failed or ComponentState.CrashLoop or ComponentState.ConfigBroken:
                judge.Exited(false, Ended(now), now.LastExitAt ?? now.Since);
                break;
            case ComponentState.Stopped or ComponentState.Stopping when now.Reason is { } reason && reason.Contains("readiness:", StringComparison.Ordinal):
                judge.NeverHealthy(reason[(reason.IndexOf("readiness:", StringComparison.Ordinal) + "readiness:".Length)..].Trim(), now.Since);
                break;
            case ComponentState.Stopped or ComponentState.Stopping:
                judge.Stopped(now.Reason ?? "asked", now.Since);
                break;
            case ComponentState.Unhealthy when now.ReadyAt is null:
                judge.NeverHealthy(now.Reason ?? "its health check never passed", now.Since);
                break;
        }

        return watched;
    }

    private static string Ended(ComponentSnapshot now) =>
        now.LastExitCode is { } || now.LastSignal is { } ? Core.Processes.ExitStatus.Ended(now.LastExitCode ?? 0, now.LastSignal)
        : now.Reason ?? now.State.Name();
}
