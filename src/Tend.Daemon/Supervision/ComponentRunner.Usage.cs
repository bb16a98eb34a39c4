using Tend.Core.Status;
using Tend.Daemon.Processes.Cgroups;

namespace Tend.Daemon.Supervision;

/// <summary>What the current run uses, as the <see cref="UsageSampler"/> measures it.</summary>
public sealed partial class ComponentRunner
{
    private ResourceUsage? _usage;

    /// <summary>The current run to sample: its number, its leader (whose process group it is), its cgroup and start; null when nothing runs.</summary>
    internal (int Run, int Pid, RunCgroup? Cgroup, DateTimeOffset? StartedAt)? UsageTarget()
    {
        lock (_gate)
        {
            return _pid is { } pid ? (_run, pid, _runCgroup, _startedAt) : null;
        }
    }

    /// <summary>Keeps the latest sample. Not a change of state: nothing is signalled, the next snapshot carries it.</summary>
    internal void SetUsage(ResourceUsage? usage)
    {
        lock (_gate)
        {
            _usage = usage;
        }
    }
}
