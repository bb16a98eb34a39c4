namespace Tend.Daemon.Supervision;

public enum ComponentState
{
    /// <summary>Not running, and not meant to be.</summary>
    Stopped,

    /// <summary>Meant to run, waiting for what it requires.</summary>
    Waiting,

    /// <summary>Its process is being started.</summary>
    Starting,

    /// <summary>Running; no health probe, or the probe has not passed yet.</summary>
    Running,

    /// <summary>Running and its probe passes.</summary>
    Healthy,

    /// <summary>Running, and its probe failed after having passed.</summary>
    Unhealthy,

    /// <summary>Exited; waiting out the back-off before the next run.</summary>
    Backoff,

    /// <summary>Being stopped: signal sent, waiting for its process group to be empty.</summary>
    Stopping,

    /// <summary>A service that exited and is not restarted by its policy.</summary>
    Exited,

    /// <summary>A job that ran to completion (exit 0).</summary>
    Completed,

    /// <summary>A job that failed, or a run that could not be started.</summary>
    Failed,

    /// <summary>Restarted too often within the budget's window: left stopped until `tend start`.</summary>
    CrashLoop,

    /// <summary>Exited with 78 (EX_CONFIG): its configuration is broken; never restarted.</summary>
    ConfigBroken,

    /// <summary>A rounds component between two rounds, waiting out the delay.</summary>
    BetweenRounds,

    /// <summary>A rounds component paused by a transient failure (a rate limit...) until a given time.</summary>
    Throttled,
}

public static class ComponentStates
{
    public static string Name(this ComponentState state) => state switch
    {
        ComponentState.Stopped => "stopped",
        ComponentState.Waiting => "waiting",
        ComponentState.Starting => "starting",
        ComponentState.Running => "running",
        ComponentState.Healthy => "healthy",
        ComponentState.Unhealthy => "unhealthy",
        ComponentState.Backoff => "backoff",
        ComponentState.Stopping => "stopping",
        ComponentState.Exited => "exited",
        ComponentState.Completed => "completed",
        ComponentState.Failed => "failed",
        ComponentState.CrashLoop => "crash_loop",
        ComponentState.ConfigBroken => "config_broken",
        ComponentState.BetweenRounds => "between_rounds",
        ComponentState.Throttled => "throttled",
        _ => throw new InvalidOperationException($"unknown state {state}"),
    };

    /// <summary>A process of the component is alive.</summary>
    public static bool IsRunning(this ComponentState state) =>
        state is ComponentState.Running or ComponentState.Healthy or ComponentState.Unhealthy;

    /// <summary>Settled in a failure that will not fix itself: dependents cannot come up.</summary>
    public static bool IsStuck(this ComponentState state) =>
        state is ComponentState.Failed or ComponentState.CrashLoop or ComponentState.ConfigBroken or ComponentState.Exited;
}
