using Tend.Core.Model;

namespace Tend.Core.Status;

/// <summary>What to type next about a component, from where it stands: every face prints the same.</summary>
public static class NextSteps
{
    /// <param name="restartedByTend">Its last run was ended by Tend itself (a liveness restart): "nothing is wrong" would contradict the diagnosis shown.</param>
    public static string For(ComponentSnapshot s, bool restartedByTend = false) => restartedByTend && s.Rounds is null && s.State is ComponentState.Healthy or ComponentState.Running or ComponentState.Starting
        ? $"it runs again after the restart explained above; tend logs {s.Name} -f to watch it, tend events -c {s.Name} -f to watch its probe"
        : (s.Rounds is null ? null : ForRounds(s)) ?? (s.Kind == ComponentKind.External ? ForExternal(s) : null) ?? s.State switch
    {
        // Probed, and the probe never passed: not "nothing is wrong" (the monitor's unhealthy_for counts it as red).
        ComponentState.Running when s.Health == ProbeHealth.Starting && s.LastProbe is { } probe =>
            $"its health probe has not passed yet ({probe}); tend events -c {s.Name} -f to watch it, tend logs {s.Name} to see what it does",
        ComponentState.Healthy or ComponentState.Running => $"nothing is wrong; tend logs {s.Name} -f to watch it",
        ComponentState.Completed => "nothing is wrong: the job ran to completion",
        ComponentState.Waiting when s.Blockers is { Count: > 0 } blockers => $"tend why {(blockers.FirstOrDefault(b => b.Stuck) ?? blockers[0]).Component}",
        ComponentState.Waiting => $"tend status; tend events -c {s.Name} -f",
        ComponentState.Backoff => $"it restarts by itself; tend logs {s.Name} to see why it exited",
        // Never started (a program not found, a pre-flight that failed): it has no log to read.
        ComponentState.Failed when s.StartedAt is null && s.LastExitAt is null => $"fix the cause above, then tend start {s.Name}",
        ComponentState.CrashLoop or ComponentState.ConfigBroken or ComponentState.Failed or ComponentState.Exited
            => $"fix the cause above, then tend start {s.Name}   (tend logs {s.Name} -n 100 for more)",
        ComponentState.Stopped => s.Kind == ComponentKind.External ? "tend up" : $"tend start {s.Name}",
        _ => $"tend status; tend logs {s.Name}",
    };

    /// <summary>An external component has no process and no logs of Tend's: only its probe to watch.</summary>
    private static string ForExternal(ComponentSnapshot s) => s.State switch
    {
        ComponentState.Healthy or ComponentState.Running => $"nothing is wrong; tend events -c {s.Name} -f to watch its probe",
        ComponentState.Stopped => "tend up",
        _ => $"{s.Name} runs outside Tend: bring it up where it runs; tend events -c {s.Name} -f shows when its probe passes",
    };

    /// <summary>For the states only rounds have or mean differently; null for the rest.</summary>
    private static string? ForRounds(ComponentSnapshot s) => (s.State, s.Rounds?.EndedBy) switch
    {
        (ComponentState.Completed, "rounds_stop_file") => $"remove {s.Rounds!.StopFilePath}, then tend start {s.Name}",
        (ComponentState.Completed, "rounds_sentinel") => $"the round said it is done; tend start {s.Name} runs a new session (the sentinel is cleared first)",
        (ComponentState.Completed, _) => $"tend start {s.Name} for another session, or tend up {s.Name} --max-rounds N",
        (ComponentState.Throttled, _) => $"nothing to do: rounds resume by themselves; tend events -c {s.Name} --kind 'round_*' to watch",
        (ComponentState.BetweenRounds, _) => $"tend logs {s.Name} for the last round; tend events -c {s.Name} --kind 'round_*'",
        (ComponentState.Running, _) => $"tend logs {s.Name} -f to watch the round",
        _ => null,
    };
}
