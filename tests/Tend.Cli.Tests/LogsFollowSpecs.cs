using System.Diagnostics;
using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend logs COMP -f` across the end of the daemon that served it: the follow goes on in the files without a line repeated or lost.</summary>
public sealed class LogsFollowSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public LogsFollowSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    [Fact(Timeout = 90_000)]
    public async Task A_daemon_killed_in_the_middle_leaves_the_follow_to_the_files_without_a_line_repeated()
    {
        // Each run counts up from 1, a line every 50 ms, after its own PID.
        _directory.Write("tend.toml", """
            [components.api]
            command = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo \"api $$$$ $i\"; sleep 0.05; done"]
            min_uptime = "0s"
            """);
        (await TendBinary.RunAsync(_directory.Path, "up")).ExitCode.ShouldBe(0);
        var current = Path.Combine(_directory.Path, ".tend", "logs", "api", "current.log");
        await DaemonState.WaitUntilAsync(() => File.Exists(current) && File.ReadAllLines(current).Length >= 5);

        using var logs = TendBinary.Start(_directory.Path, null, "logs", "api", "-f", "-n", "3", "--no-color");
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await logs.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        }, TestContext.Current.CancellationToken);
        List<string[]> Seen()
        {
            lock (lines)
            {
                return [.. lines.Select(l => l.Split(' ')).Where(w => w.Length >= 3 && w[^3] == "api")];
            }
        }

        try
        {
            await DaemonState.WaitUntilAsync(() => Seen().Count >= 10);
            // The run lives on a moment after its daemon (parent-death signal): its last lines are read from the files.
            Process.GetProcessById(_daemon.ReadDaemonPid()!.Value).Kill();
            (await TendBinary.RunAsync(_directory.Path, "up")).ExitCode.ShouldBe(0);
            await DaemonState.WaitUntilAsync(() => Seen().Select(w => w[^2]).Distinct().Count() >= 2 && Seen().Count(w => w[^2] == Seen()[^1][^2]) >= 5);
        }
        finally
        {
            logs.Kill();
        }

        await reading;
        var runs = Seen().GroupBy(w => w[^2]).ToList();
        var shown = string.Join('\n', lines);
        runs.Count.ShouldBe(2, shown);
        foreach (var run in runs)
        {
            // Up by one, line after line: nothing repeated, nothing skipped.
            var numbers = run.Select(w => int.Parse(w[^1], CultureInfo.InvariantCulture)).ToList();
            numbers.Zip(numbers.Skip(1)).ShouldAllBe(pair => pair.Second == pair.First + 1, shown);
        }
    }
}
