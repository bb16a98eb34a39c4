using System.Text.Json.Serialization;
using Tend.Core.Text;

namespace Tend.Core.Status;

/// <summary>Where a component is in its lifecycle. Serialised as the snake_case names <see cref="ComponentStates.Name"/> gives.</summary>
[JsonConverter(typeof(ComponentStateJson))]
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

    /// <summary>A job that ran to completion (exit 0), or a rounds session a stop trigger ended.</summary>
    Completed,

    /// <summary>A job that failed, a run that could not be started, or rounds a rule stopped.</summary>
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

/// <summary>How a probe is doing in the current run.</summary>
[JsonConverter(typeof(ProbeHealthJson))]
public enum ProbeHealth
{
    /// <summary>Not passed yet in this run.</summary>
    Starting,

    Passing,
    Failing,
}

public static class ComponentStates
{
    /// <summary>The reason of a component asked to start whose session has not looked at its requirements yet.</summary>
    public const string SessionStarting = "a new session is starting";

    /// <summary>The states as JSON, the events and every face spell them, in the order of their values.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["stopped", "waiting", "starting", "running", "healthy", "unhealthy", "backoff", "stopping", "exited", "completed", "failed", "crash_loop", "config_broken", "between_rounds", "throttled"];

    public static readonly IReadOnlyList<string> HealthNames = ["starting", "passing", "failing"];

    public static string Name(this ComponentState state) => Names[(int)state];

    public static string Name(this ProbeHealth health) => HealthNames[(int)health];

    /// <summary>The state in words for text (crash loop, between rounds): the snake_case names are for JSON, events and filters.</summary>
    public static string Words(this ComponentState state) => state.Name().Replace('_', ' ');

    /// <summary>A process of the component is alive and past its start.</summary>
    public static bool IsRunning(this ComponentState state) =>
        state is ComponentState.Running or ComponentState.Healthy or ComponentState.Unhealthy;

    /// <summary>Settled in a failure that will not mend itself: it stays so until someone acts.</summary>
    public static bool IsFailure(this ComponentState state) =>
        state is ComponentState.Failed or ComponentState.CrashLoop or ComponentState.ConfigBroken or ComponentState.Exited;
}

public sealed class ComponentStateJson() : NamedEnumJsonConverter<ComponentState>(ComponentStates.Names);

public sealed class ProbeHealthJson() : NamedEnumJsonConverter<ProbeHealth>(ComponentStates.HealthNames);
