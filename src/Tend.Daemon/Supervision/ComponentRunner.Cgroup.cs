using Tend.Core.Events;
using Tend.Core.Processes;
using Tend.Daemon.Processes.Cgroups;

namespace Tend.Daemon.Supervision;

/// <summary>The cgroup of the current run, where the daemon stops by cgroups.</summary>
public sealed partial class ComponentRunner
{
    /// <summary>The current run's cgroup; null between runs, and for runs stopped by process group.</summary>
    private RunCgroup? _runCgroup;

    /// <summary>
    /// A new cgroup for run <paramref name="run"/>, made the current one; null where the daemon stops by
    /// process group, or when it cannot be made (then said in an event, and this run is stopped by
    /// its process group and tags, as without cgroups).
    /// </summary>
    private RunCgroup? EnterRunCgroup(int run)
    {
        if (_services.Stops.Cgroups is not { } cgroups)
        {
            return null;
        }

        var (cgroup, problem) = cgroups.CreateRun(Name, run);
        if (problem is not null)
        {
            _services.Events.Emit(EventKinds.SupervisorError, Name, new EventField("error", $"run {run} is stopped by its process group: {problem}"));
        }

        lock (_gate)
        {
            _runCgroup = cgroup;
        }

        return cgroup;
    }

    /// <summary>A start the kernel would not put in the run's cgroup runs outside it: said in an event, and stopped by its process group and tags.</summary>
    private void ConfirmRunCgroup(LaunchOutcome.Started started, int run)
    {
        if (started.CgroupProblem is { } problem)
        {
            _services.Events.Emit(EventKinds.SupervisorError, Name, new EventField("error", $"run {run} is stopped by its process group: {problem}"));
            LeaveRunCgroup();
        }
    }

    /// <summary>The run is over and nothing of it is left: its cgroup goes (a daemon that fails to remove it removes it when it stops).</summary>
    private void LeaveRunCgroup()
    {
        RunCgroup? cgroup;
        lock (_gate)
        {
            cgroup = _runCgroup;
            _runCgroup = null;
        }

        cgroup?.TryRemove();
    }

    private RunCgroup? RunCgroupNow()
    {
        lock (_gate)
        {
            return _runCgroup;
        }
    }
}
