using Tend.Core.Events;
using Tend.Core.Processes;
using Tend.Daemon.Logs;
using Tend.Daemon.Processes;

namespace Tend.Daemon.Supervision;

/// <summary>What the supervisor works with, injected so that tests can fake the clock and watch the events.</summary>
public sealed record SupervisorServices(
    TimeProvider Time,
    IEventSink Events,
    IRunOutput Output,
    ProcessLauncher Launcher,
    Random Random)
{
    /// <summary>Stops run on the wall clock whatever <see cref="Time"/> is: processes die in real time, and a test's fake clock must not hold a stop.</summary>
    public ProcessGroupStopper Stopper { get; init; } = new(TimeProvider.System);

    /// <summary>Cgroups for the runs, or process groups: the daemon chooses when it starts (see <see cref="StopMode.Choose"/>).</summary>
    public StopMode Stops { get; init; } = StopMode.ProcessGroups("not run by a daemon");

    /// <summary>What only grows, for the metrics: restarts by reason, probe durations, CPU time (and, through the hub, events).</summary>
    public Metrics.MetricCounters Counters { get; init; } = new();

    /// <summary>Every run's output lines for whoever listens; nothing is cut into lines while nobody does.</summary>
    public OutputHub Lines { get; init; } = new(Time);
}
