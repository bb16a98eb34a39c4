using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Tend.Daemon.Logs;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Support;

/// <summary>Keeps each run's output in memory, so supervisor tests can read what a run printed.</summary>
/// <param name="logRoot">Where components' log directories are (TEND_LOG_DIR of rounds, with their sentinel).</param>
public sealed class MemoryOutput(string logRoot) : IRunOutput
{
    private readonly ConcurrentDictionary<(string, int), ConcurrentQueue<string>> _lines = new();

    public async Task CaptureAsync(string component, int run, Tend.Core.Model.LogPolicy policy, Process process, IOutputObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var lines = _lines.GetOrAdd((component, run), _ => new ConcurrentQueue<string>());
        async Task Pump(StreamReader reader)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                // Observed first: a test that sees the line knows the supervisor has seen it too.
                if (observer is { IsListening: true })
                {
                    observer.OnLine(Encoding.UTF8.GetBytes(line));
                }
                lines.Enqueue(line);
            }
        }

        await Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public Task<IReadOnlyList<string>> TailAsync(string component, int run, int lines, CancellationToken cancellationToken = default) =>
        Task.FromResult(Tail(component, run, lines));

    private IReadOnlyList<string> Tail(string component, int run, int lines) =>
        _lines.TryGetValue((component, run), out var all) ? [.. all.TakeLast(lines)] : [];

    public string LogDirectory(string component) => Path.Combine(logRoot, component);

    public int LastRun(string component) => 0;

    public IReadOnlyList<string> Lines(string component, int run) => Tail(component, run, int.MaxValue);
}
