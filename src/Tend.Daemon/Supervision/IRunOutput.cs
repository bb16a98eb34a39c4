using System.Diagnostics;
using Tend.Core.Model;

namespace Tend.Daemon.Supervision;

/// <summary>Where a run's stdout and stderr go (per-run log files in the daemon).</summary>
public interface IRunOutput
{
    /// <summary>Captures the run's output until both streams end; never blocks the child.</summary>
    Task CaptureAsync(string component, int run, LogPolicy policy, Process process, CancellationToken cancellationToken = default);

    /// <summary>The last lines a run wrote, for the events and `tend why`.</summary>
    Task<IReadOnlyList<string>> TailAsync(string component, int run, int lines, CancellationToken cancellationToken = default);

    /// <summary>The highest run number already on disk, so numbering continues across daemons.</summary>
    int LastRun(string component);
}
