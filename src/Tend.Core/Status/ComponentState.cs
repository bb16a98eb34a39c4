using System.Text.Json.Serialization;

namespace Tend.Core.Status;

/// <summary>Where a component is in its lifecycle. Serialised as the snake_case names <see cref="ComponentStates.Name"/> gives.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComponentState>))]
public enum ComponentState
{
    /// <summary>Not running, and not meant to be.</summary>
    [JsonStringEnumMemberName("stopped")]
    Stopped,

    /// <summary>Meant to run, waiting for what it requires.</summary>
    [JsonStringEnumMemberName("waiting")]
    Waiting,

    /// <summary>Its process is being started.</summary>
    [JsonStringEnumMemberName("starting")]
    Starting,

    /// <summary>Running; no health probe, or the probe has not passed yet.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Running and its probe passes.</summary>
    [JsonStringEnumMemberName("healthy")]
    Healthy,

    /// <summary>Running, and its probe failed after having passed.</summary>
    [JsonStringEnumMemberName("unhealthy")]
    Unhealthy,

    /// <summary>Exited; waiting out the back-off before the next run.</summary>
    [JsonStringEnumMemberName("backoff")]
    Backoff,

    /// <summary>Being stopped: signal sent, waiting for its process group to be empty.</summary>
    [JsonStringEnumMemberName("stopping")]
    Stopping,

    /// <summary>A service that exited and is not restarted by its policy.</summary>
    [JsonStringEnumMemberName("exited")]
    Exited,

    /// <summary>A job that ran to completion (exit 0), or a rounds session a stop trigger ended.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>A job that failed, a run that could not be started, or rounds a rule stopped.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Restarted too often within the budget's window: left stopped until `tend start`.</summary>
    [JsonStringEnumMemberName("crash_loop")]
    CrashLoop,

    /// <summary>Exited with 78 (EX_CONFIG): its configuration is broken; never restarted.</summary>
    [JsonStringEnumMemberName("config_broken")]
    ConfigBroken,

    /// <summary>A rounds component between two rounds, waiting out the delay.</summary>
    [JsonStringEnumMemberName("between_rounds")]
    BetweenRounds,

    /// <summary>A rounds component paused by a transient failure (a rate limit...) until a given time.</summary>
    [JsonStringEnumMemberName("throttled")]
    Throttled,
}

/// <summary>How a probe is doing in the current run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeHealth>))]
public enum ProbeHealth
{
    /// <summary>Not passed yet in this run.</summary>
    [JsonStringEnumMemberName("starting")]
    Starting,

    [JsonStringEnumMemberName("passing")]
    Passing,
    [JsonStringEnumMemberName("failing")]
    Failing,
}

public static class ComponentStates
{
    /// <summary>The reason of a component asked to start whose session has not looked at its requirements yet.</summary>
    public const string SessionStarting = "a new session is starting";

    /// <summary>The state as JSON, the events and every face spell it.</summary>
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

    public static string Name(this ProbeHealth health) => health switch
    {
        ProbeHealth.Starting => "starting",
        ProbeHealth.Passing => "passing",
        ProbeHealth.Failing => "failing",
        _ => throw new InvalidOperationException($"unknown probe health {health}"),
    };

    /// <summary>A process of the component is alive and past its start.</summary>
    public static bool IsRunning(this ComponentState state) =>
        state is ComponentState.Running or ComponentState.Healthy or ComponentState.Unhealthy;

    /// <summary>Settled in a failure that will not mend itself: it stays so until someone acts.</summary>
    public static bool IsFailure(this ComponentState state) =>
        state is ComponentState.Failed or ComponentState.CrashLoop or ComponentState.ConfigBroken or ComponentState.Exited;
}
