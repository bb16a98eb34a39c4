using System.Diagnostics;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

/// <summary>Many runs cost no thread each: one loop reads every pipe and one thread writes every file.</summary>
[Collection(nameof(HeavyOutput))]
public sealed class LogLoopSpecs
{
    private const int Runs = 40;

    [Fact(Timeout = 60_000)]
    public async Task Forty_runs_are_captured_by_the_same_two_threads_and_each_keeps_its_own_lines()
    {
        using var temp = new TempDirectory();
        var before = LogThreads();
        var children = new List<(Process Process, Task Captured, string Directory)>();
        try
        {
            for (var i = 0; i < Runs; i++)
            {
                var directory = Path.Combine(temp.Path, $"c{i}");
                var process = Shell($"echo out {i}; echo err {i} >&2; exec sleep 60");
                var capture = new RunLogCapture(directory, 1);
                children.Add((process, capture.CaptureAsync(process.StandardOutput.BaseStream, process.StandardError.BaseStream, TestContext.Current.CancellationToken), directory));
            }

            foreach (var (_, _, directory) in children)
            {
                var waited = Stopwatch.StartNew();
                while (!HasLines(directory, 2))
                {
                    waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), $"the lines of {directory} never reached its log");
                    await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
                }
            }

            var during = LogThreads();
            TestContext.Current.TestOutputHelper?.WriteLine($"log threads before: {string.Join(", ", before)}; with {Runs} runs: {string.Join(", ", during)}");
            // The old capture had a reader and a writer thread a run: 80 here.
            during.Count.ShouldBeLessThanOrEqualTo(Math.Max(before.Count, 2));
            during.ShouldAllBe(name => name == "tend log loop" || name == "tend log writer");
        }
        finally
        {
            foreach (var (process, _, _) in children)
            {
                ChildCapture.KillIfRunning(process);
            }
        }

        await Task.WhenAll(children.Select(c => c.Captured));
        for (var i = 0; i < Runs; i++)
        {
            var lines = LogFileContent.Lines(children[i].Directory);
            lines.Where(l => l.Stream == LogStream.Out).Select(l => l.Text).ShouldBe([$"out {i}"]);
            lines.Where(l => l.Stream == LogStream.Err).Select(l => l.Text).ShouldBe([$"err {i}"]);
        }
    }

    private static bool HasLines(string directory, int count) => Directory.Exists(directory) && LogFileContent.Lines(directory).Count == count;

    /// <summary>The names of this process's threads that capture logs.</summary>
    private static List<string> LogThreads() =>
        [.. Directory.GetDirectories("/proc/self/task")
            .Select(task => { try { return File.ReadAllText(Path.Join(task, "comm")).TrimEnd('\n'); } catch (IOException) { return ""; } })
            .Where(name => name.StartsWith("tend log", StringComparison.Ordinal))];

    private static Process Shell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info) ?? throw new InvalidOperationException("sh did not start");
    }
}
