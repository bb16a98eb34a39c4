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

    // The output of the runs before the current one, for counters that only grow: a capture
    // replaced by the next run's is added here in the same step, so a total never goes back.
    private readonly Lock _totalsGate = new();
    private readonly Dictionary<string, OutputTotals> _ended = new(StringComparer.Ordinal);

    public OutputCount? Counted(string component)
    {
        if (!_current.TryGetValue(component, out var current))
        {
            return null;
        }

        var stats = current.Capture.Stats;
        return new OutputCount(current.Run, stats.Lines, stats.BytesRead);
    }

    public OutputTotals? Totals(string component)
    {
        lock (_totalsGate)
        {
            var ended = _ended.GetValueOrDefault(component);
            return _current.TryGetValue(component, out var current) ? Add(ended, current.Capture.Stats) : ended;
        }
    }

    private static OutputTotals Add(OutputTotals? before, LogCaptureStats run) =>
        new((before?.Bytes ?? 0) + run.BytesRead, (before?.Lines ?? 0) + run.Lines, (before?.DroppedBytes ?? 0) + run.BytesDropped + run.BytesLost);

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
        lock (_totalsGate)
        {
            if (_current.TryGetValue(component, out var previous))
            {
                _ended[component] = Add(_ended.GetValueOrDefault(component), previous.Capture.Stats);
            }

            _current[component] = (run, capture);
        }

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
