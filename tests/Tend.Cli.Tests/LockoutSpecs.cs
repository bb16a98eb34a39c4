using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>The operator is never locked out of a stack: not by a long directory path, not by a stack file broken while the stack runs.</summary>
public sealed class LockoutSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private string _directory;
    private DaemonState _daemon;

    public LockoutSpecs()
    {
        _directory = _temp.Path;
        _daemon = new DaemonState(_directory);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _temp.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory, args);

    private void Write(string toml) => File.WriteAllText(Path.Combine(_directory, "tend.toml"), toml);

    private static string Sleeper => $$"""
        [components.app]
        command = {{Argv("sleep", "600000")}}
        min_uptime = "0s"
        """;

    [Theory(Timeout = 120_000)]
    [InlineData(100)]
    [InlineData(200)]
    public async Task A_stack_in_a_long_directory_path_goes_up_answers_and_goes_down(int length)
    {
        _directory = Path.Combine(_temp.Path, new string('d', length - _temp.Path.Length - 1));
        _directory.Length.ShouldBe(length);
        Directory.CreateDirectory(_directory);
        _daemon = new DaemonState(_directory);
        Write(Sleeper);

        var up = await Tend("up");
        up.ExitCode.ShouldBe(0, up.ToString());
        var socket = Path.Combine(_daemon.Directory, "daemon.sock");
        File.GetUnixFileMode(socket).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the socket stays private where it always was");
        File.GetUnixFileMode(_daemon.Directory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var status = await Tend("status");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("running");
        status.Stdout.ShouldNotContain("not running");

        var down = await Tend("down");
        down.ExitCode.ShouldBe(0, down.ToString());
        down.Stdout.ShouldContain("stopped 1 component");

        var stop = await Tend("daemon", "stop");
        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("daemon stopped");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_stack_file_broken_while_the_stack_runs_still_lets_status_down_and_daemon_stop_work()
    {
        Write(Sleeper);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var daemonPid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        Write(Sleeper + "\n[components.broken\ncommand = [\n");

        var up = await Tend("up");
        up.ExitCode.ShouldBe(2, "up takes the stack file as it is, and it is broken");

        var status = await Tend("status");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("app");
        status.Stdout.ShouldContain("running");
        status.Stderr.ShouldContain("tend.toml:4:");
        status.Stderr.ShouldContain("invalid TOML");
        status.ToString().ShouldNotContain("   at ");

        var down = await Tend("down");
        down.ExitCode.ShouldBe(0, down.ToString());
        down.Stdout.ShouldContain("stopped 1 component");
        down.Stderr.ShouldContain("invalid TOML");

        var daemonStatus = await Tend("daemon", "status");
        daemonStatus.ExitCode.ShouldBe(0, daemonStatus.ToString());
        daemonStatus.Stdout.ShouldContain($"pid {daemonPid}");

        var stop = await Tend("daemon", "stop");
        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("daemon stopped");
        DaemonState.IsAlive(daemonPid).ShouldBeFalse();
    }

    [Fact(Timeout = 120_000)]
    public async Task Kill_ends_a_stop_that_waits_out_a_long_grace_at_once_instead_of_queueing_behind_it()
    {
        // Ignored signals stay ignored across exec: the whole group shrugs TERM off.
        Write("""
            [components.stubborn]
            command = ["sh", "-c", "trap '' TERM; sleep 600"]
            min_uptime = "0s"
            stop = { grace = "10m" }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var stopping = TendBinary.RunAsync(_directory, "stop", "stubborn");
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_stopping"));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var kill = await Tend("kill", "stubborn");
        var stop = await stopping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        watch.Stop();

        kill.ExitCode.ShouldBe(0, kill.ToString());
        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("stubborn stopped");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "not the 10 minutes of the grace");
        var escalated = _daemon.ReadEvents().Single(e => e.GetProperty("event").GetString() == "stop_escalated");
        escalated.GetProperty("after_ms").GetInt64().ShouldBeLessThan(60_000);
        (await Tend("status")).Stdout.ShouldContain("stopped");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_stack_file_broken_while_the_stack_runs_still_lets_the_operator_look_and_stop_but_not_start()
    {
        Write("""
            [components.app]
            command = ["sh", "-c", "echo serving; exec sleep 600"]
            min_uptime = "0s"
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => File.Exists(Path.Combine(_daemon.Directory, "logs", "app", "current.log")) && File.ReadAllText(Path.Combine(_daemon.Directory, "logs", "app", "current.log")).Contains("serving", StringComparison.Ordinal));
        File.AppendAllText(Path.Combine(_directory, "tend.toml"), "\n[components.broken\ncommand = [\n");

        var looks = new Dictionary<string, (TendResult Result, string Shows)>
        {
            ["logs"] = (await Tend("logs", "app"), "serving"),
            ["events"] = (await Tend("events"), "component_started"),
            ["peek"] = (await Tend("peek"), "running"),
            ["why"] = (await Tend("why", "app"), "running"),
        };
        foreach (var (verb, (result, shows)) in looks)
        {
            result.ExitCode.ShouldBe(0, $"tend {verb}: {result}");
            result.Stdout.ShouldContain(shows, customMessage: $"tend {verb}");
            result.Stderr.ShouldContain("invalid TOML", customMessage: $"tend {verb} says the file is broken");
        }

        var start = await Tend("start", "app");
        start.ExitCode.ShouldBe(2, "what starts things takes the file as it is: " + start);

        var stop = await Tend("stop", "app");
        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("app stopped");
        var kill = await Tend("kill", "app");
        kill.ExitCode.ShouldBe(0, kill.ToString());
        var nobody = await Tend("stop", "nobody");
        nobody.ExitCode.ShouldBe(2, "names are still checked, against the stack as the daemon took it: " + nobody);
        nobody.Stderr.ShouldContain("'nobody'");
    }

    [Theory(Timeout = 120_000)]
    [InlineData("\nrequires = [\"nowhere\"]\n", "'nowhere'")]
    [InlineData("\n[components.broken\ncommand = [\n", "invalid TOML")]
    public async Task A_stack_with_its_own_state_dir_is_found_there_when_its_file_no_longer_loads(string breakage, string error)
    {
        var stack = $$"""
            [stack]
            state_dir = "state"
            {{Sleeper}}
            """;
        Write(stack);
        (await Tend("up")).ExitCode.ShouldBe(0);
        _daemon = new DaemonState(_directory, "state");
        var daemonPid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        Write(stack + breakage);

        var status = await Tend("status");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("running");
        status.Stderr.ShouldContain(error);

        var stop = await Tend("daemon", "stop");
        stop.ExitCode.ShouldBe(0, stop.ToString());
        DaemonState.IsAlive(daemonPid).ShouldBeFalse();
    }
}
