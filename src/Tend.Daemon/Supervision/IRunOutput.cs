using System.Diagnostics;
using Tend.Core.Model;
using Tend.Daemon.Logs;

namespace Tend.Daemon.Supervision;

/// <summary>Where a run's stdout and stderr go (per-run log files in the daemon).</summary>
public interface IRunOutput
{
    /// <summary>Captures the run's output until both streams end; never blocks the child. <paramref name="observer"/> sees each line.</summary>
    Task CaptureAsync(string component, int run, LogPolicy policy, Process process, IOutputObserver? observer = null, CancellationToken cancellationToken = default);

    /// <summary>The component's log directory: rounds get it as TEND_LOG_DIR, and the done sentinel is looked for there.</summary>
    string LogDirectory(string component);

    /// <summary>The last lines a run wrote, for the events and `tend why`.</summary>
    Task<IReadOnlyList<string>> TailAsync(string component, int run, int lines, CancellationToken cancellationToken = default);

    /// <summary>The output captured so far of the component's current run (lines, bytes), for the monitor; null when none is captured.</summary>
    OutputCount? Counted(string component) => null;

    /// <summary>What the component's runs printed since the daemon started, for the metrics' counters; null when none ran.</summary>
    OutputTotals? Totals(string component) => null;

    /// <summary>The highest run number already on disk, so numbering continues across daemons.</summary>
    int LastRun(string component);
}

/// <summary>How much a run has printed since it started.</summary>
public sealed record OutputCount(int Run, long Lines, long Bytes);

/// <summary>What a component's runs printed since the daemon started, summed over its runs.</summary>
/// <param name="DroppedBytes">Output that never reached a log file: dropped while the disk was behind, or lost to a failed write.</param>
public sealed record OutputTotals(long Bytes, long Lines, long DroppedBytes);
