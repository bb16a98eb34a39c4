using Tend.Daemon.Processes;

namespace Tend.Daemon.Supervision;

/// <summary>What the supervisor works with, injected so that tests can fake the clock and watch the events.</summary>
public sealed record SupervisorServices(
    TimeProvider Time,
    ISupervisorEvents Events,
    IRunOutput Output,
    Spawner Spawner,
    Random Random)
{
    /// <summary>Stops run on the wall clock whatever <see cref="Time"/> is: processes die in real time, and a test's fake clock must not hold a stop.</summary>
    public ProcessGroupStopper Stopper { get; } = new(TimeProvider.System);
}

/// <summary>How a run ended.</summary>
internal sealed record RunEnd(int? ExitCode, int? Signal, TimeSpan Uptime, bool StoppedOnRequest, string? LivenessReason, string? StartError)
{
    public bool Succeeded => StartError is null && LivenessReason is null && ExitCode == 0;

    public string Describe() => StartError is not null ? StartError
        : LivenessReason is not null ? LivenessReason
        : Signal is { } signal ? $"killed by signal {signal}"
        : $"exit code {ExitCode}";
}
