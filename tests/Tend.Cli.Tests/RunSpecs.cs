using System.Diagnostics;
using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary><c>tend run</c>, the executor: pre-flight, then the command, a verdict and next steps.</summary>
public sealed class RunSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public RunSpecs()
    {
        _directory.Write("tend.toml", $$"""
            [components.app]
            kind = "service"
            description = "A test application"
            command = ["sh", "-c", "sleep 1000"]
            env = { GREETING = "hello" }

            [components.app.commands]
            hello = { argv = ["sh", "-c", "echo \"$GREETING from $TEND_COMPONENT\""], description = "Say hello", next = ["tend run app serve"] }
            echo = { argv = ["echo"], description = "Echo the arguments" }
            fail = { argv = ["sh", "-c", "echo 'Error: listen EADDRINUSE: address already in use :::8080' >&2; exit 4"] }
            missing = { argv = ["./no-such-program"] }
            "exit three" = { argv = ["sh", "-c", "exit 3"], blocking = true }
            serve = { argv = ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; sleep 1000 & echo \"ready $$$$\"; wait"], blocking = true }
            touch = { argv = ["touch", "ran.marker"], preflight = "all" }

            [components.gated]
            kind = "service"
            command = ["sh", "-c", "sleep 1000"]
            preflight = [{ tcp = "127.0.0.1:{{LocalServer.FreePort()}}", name = "dependency port" }]

            [components.gated.commands]
            touch = { argv = ["touch", "gated.marker"] , preflight = "all" }
            """);
    }

    public void Dispose() => _directory.Dispose();


    [Fact(Timeout = 30_000)]
    public async Task A_command_runs_with_the_component_environment_then_shows_a_verdict_and_next_steps()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app", "hello");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Running: sh -c");
        result.Stdout.ShouldContain("hello from app");
        result.Stdout.ShouldContain("✓ app hello succeeded");
        result.Stdout.ShouldContain("Next steps:\n  • tend run app serve");
    }

    [Fact(Timeout = 30_000)]
    public async Task Extra_words_are_passed_to_the_command()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app", "echo", "one", "--", "--two");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("one --two");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failing_command_is_diagnosed_from_its_output()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app", "fail", "--json");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Json.GetProperty("verdict").GetString().ShouldBe("failed");
        result.Json.GetProperty("exit_code").GetInt32().ShouldBe(4);
        result.Json.GetProperty("output_tail")[0].GetString()!.ShouldContain("EADDRINUSE");
        result.Json.GetProperty("diagnosis").GetProperty("rule").GetString().ShouldBe("addr-in-use");
        result.Stderr.ShouldContain("✗ app fail failed (exit 4");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_program_that_does_not_exist_is_explained()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app", "missing");

        result.ExitCode.ShouldBe(1);
        result.Stdout.ShouldContain("could not start: ./no-such-program: not found");
        result.Stdout.ShouldContain("cause: The command was not found");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_blocking_command_hands_back_its_own_exit_code()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app", "exit", "three");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stdout.ShouldContain("This command blocks the terminal");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_preflight_stops_the_command_unless_forced()
    {
        var stopped = await TendBinary.RunAsync(_directory.Path, "run", "gated", "touch");
        var markerAfterStop = File.Exists(Path.Combine(_directory.Path, "gated.marker"));
        var forced = await TendBinary.RunAsync(_directory.Path, "run", "gated", "touch", "--force");

        stopped.ExitCode.ShouldBe(1, stopped.ToString());
        stopped.Stdout.ShouldContain("✗ gated: dependency port");
        stopped.Stdout.ShouldContain("Not running touch gated.marker: fix the failures above, or run anyway with --force");
        markerAfterStop.ShouldBeFalse();
        forced.ExitCode.ShouldBe(0, forced.ToString());
        File.Exists(Path.Combine(_directory.Path, "gated.marker")).ShouldBeTrue();
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_a_command_it_lists_the_component_commands()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldContain("app - A test application");
        result.Stdout.ShouldContain("hello       Say hello");
        result.Stdout.ShouldContain("exit three");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_command_gets_the_closest_one()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "run", "app", "helo");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("app has no command 'helo'");
        result.Stderr.ShouldContain("did you mean 'hello'?");
    }

    [Fact(Timeout = 30_000)]
    public async Task SIGTERM_to_tend_reaches_the_whole_process_group_of_a_blocking_command()
    {
        using var tend = TendBinary.Start(_directory.Path, null, "run", "app", "serve");
        var leader = 0;
        try
        {
            leader = await WaitForReadyAsync(tend);

            GroupMembers(leader).Count.ShouldBeGreaterThanOrEqualTo(2, "the shell and its sleep");
            Kill(tend.Id, 15);
            await tend.WaitForExitAsync(TestContext.Current.CancellationToken);
            var output = await tend.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);

            tend.ExitCode.ShouldBe(0, output);
            output.ShouldContain("got TERM");
            GroupMembers(leader).ShouldBeEmpty();
        }
        finally
        {
            // Whatever happened above, leave nothing of ours running: tend, then the group it started.
            if (!tend.HasExited)
            {
                tend.Kill(entireProcessTree: true);
            }

            if (leader > 1 && GroupMembers(leader).Count > 0)
            {
                Kill(-leader, 9);
            }
        }
    }

    private static async Task<int> WaitForReadyAsync(Process tend)
    {
        while (await tend.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                return int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("the command never said it was ready");
    }

    /// <summary>The live (non-zombie) processes whose process group is <paramref name="group"/>, from /proc.</summary>
    private static List<int> GroupMembers(int group)
    {
        var members = new List<int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == group)
                {
                    members.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
        }

        return members;
    }

    /// <summary>kill(1): a negative pid signals that process group.</summary>
    private static void Kill(int pid, int signal) => Process.Start("kill", [$"-{signal}", "--", pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
}
