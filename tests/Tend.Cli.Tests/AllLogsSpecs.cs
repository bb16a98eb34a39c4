using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend logs` without a component: every component's lines interleaved after its name, as compose and pm2 show them.</summary>
public sealed class AllLogsSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public AllLogsSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync()
    {
        _directory.Write("tend.toml", """
            [components.api]
            command = ["sh", "-c", "echo api one; sleep 0.3; echo api two; exec sleep 600"]
            min_uptime = "0s"

            [components.worker-long-name]
            command = ["sh", "-c", "sleep 0.15; echo worker one; sleep 0.3; echo worker two >&2; exec sleep 600"]
            min_uptime = "0s"

            [components.late]
            command = ["sh", "-c", "echo late hello; exec sleep 600"]
            min_uptime = "0s"
            """);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task The_last_lines_of_every_component_come_in_time_order_each_after_its_name()
    {
        (await Tend("up", "api", "worker-long-name")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => File.Exists(Path.Combine(_directory.Path, ".tend", "logs", "worker-long-name", "current.log"))
            && File.ReadAllText(Path.Combine(_directory.Path, ".tend", "logs", "worker-long-name", "current.log")).Contains("worker two", StringComparison.Ordinal));

        var logs = await Tend("logs", "-n", "10");

        logs.ExitCode.ShouldBe(0, logs.ToString());
        var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // NAME | HH:mm:ss.fff TEXT
        lines.Select(l => l.Split(" | ", 2)[1][13..]).ShouldBe(["api one", "worker one", "api two", "worker two"], "in time order across components");
        lines[0].ShouldStartWith("api              | ");
        lines[1].ShouldStartWith("worker-long-name | ");
        logs.Stdout.ShouldNotContain("late", customMessage: "late has not run: nothing of it");
        logs.Stdout.ShouldNotContain("\u001b", customMessage: "a pipe gets no colour");
    }

    [Fact(Timeout = 120_000)]
    public async Task Following_picks_up_a_component_that_starts_later()
    {
        (await Tend("up", "api")).ExitCode.ShouldBe(0);
        using var follower = TendBinary.Start(_directory.Path, null, "logs", "-f");
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await follower.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lock (seen)
                {
                    seen.Add(line);
                }
            }
        }, TestContext.Current.CancellationToken);

        await DaemonState.WaitUntilAsync(() => { lock (seen) { return seen.Any(l => l.Contains("api two", StringComparison.Ordinal)); } });
        (await Tend("start", "late")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => { lock (seen) { return seen.Any(l => l.StartsWith("late ", StringComparison.Ordinal) && l.Contains("late hello", StringComparison.Ordinal)); } });

        follower.Kill();
        await follower.WaitForExitAsync(TestContext.Current.CancellationToken);
        lock (seen)
        {
            seen.Count(l => l.Contains("api one", StringComparison.Ordinal)).ShouldBe(1, "each line once");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Runs_are_one_components_so_they_need_one()
    {
        var result = await Tend("logs", "--runs");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("tend logs api --runs");
        var typed = await Tend("logs", "api", "--runs");
        typed.ExitCode.ShouldBe(0, "the command it names works as typed: " + typed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Components_that_ran_and_printed_nothing_are_not_said_never_to_have_run()
    {
        _directory.Write("tend.toml", """
            [components.quiet]
            command = ["sleep", "600"]
            min_uptime = "0s"
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);

        var logs = await Tend("logs");

        logs.ExitCode.ShouldBe(0, logs.ToString());
        logs.Stdout.ShouldContain("quiet ran but printed nothing yet");
        logs.Stdout.ShouldNotContain("has run yet");
    }
}
