using System.Diagnostics;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Daemon.Logs;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>Each run's output captured to logs/COMP/run-N.log, capped and retained by the component's log policy.</summary>
public sealed class LogRunOutput(DaemonPaths paths, TimeProvider time) : IRunOutput
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Run, RunLogCapture Capture)> _current = new(StringComparer.Ordinal);

    public OutputCount? Counted(string component)
    {
        if (!_current.TryGetValue(component, out var current))
        {
            return null;
        }

        var stats = current.Capture.Stats;
        return new OutputCount(current.Run, stats.Lines, stats.BytesRead);
    }

    public async Task CaptureAsync(string component, int run, LogPolicy policy, Process process, IOutputObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var settings = LogSettings.Default with { MaxFileBytes = policy.MaxFileBytes, KeepFiles = policy.KeepFiles, DropWhenFull = policy.DropWhenFull };
        var capture = new RunLogCapture(paths.ComponentLogs(component), run, settings, time, observer);
        var tookOut = PipeHandover.TryTake(process.StandardOutput, out var taken);
        await using var stdout = taken;
        var tookErr = PipeHandover.TryTake(process.StandardError, out taken);
        await using var stderr = taken;
        if (tookOut && tookErr)
        {
            ProcessStreams.ForgetOutput(process);
        }

        // Kept until the next run replaces it: the monitor still sees the last run's count after it ends.
        _current[component] = (run, capture);
        await capture.CaptureAsync(stdout, stderr, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> TailAsync(string component, int run, int lines, CancellationToken cancellationToken = default)
    {
        var directory = paths.ComponentLogs(component);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var tail = await new ComponentLogs(directory).TailAsync(lines, run, cancellationToken);
        return [.. tail.Lines.Select(l => l.Text)];
    }

    public string LogDirectory(string component) => paths.ComponentLogs(component);

    public int LastRun(string component)
    {
        var directory = paths.ComponentLogs(component);
        return Directory.Exists(directory) ? LogFiles.List(directory).Select(f => f.Run).DefaultIfEmpty(0).Max() : 0;
    }
}
