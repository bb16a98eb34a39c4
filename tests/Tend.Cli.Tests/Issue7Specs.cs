using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// Regression specs for issue 7, through the binary: what `up` and the control verbs say must be
/// the state after the action, judged by the engine; a reload must know what it added and removed.
/// </summary>
public sealed class Issue7Specs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public Issue7Specs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    private void WriteStack(string toml) => _directory.Write("tend.toml", toml);

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task Up_of_a_component_added_to_the_stack_file_after_the_daemon_started_starts_it()
    {
        WriteStack($$"""
            [components.old]
            command = {{Argv("sleep", "600000")}}
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        WriteStack($$"""
            [components.old]
            command = {{Argv("sleep", "600000")}}
            [components.added]
            command = {{Argv("sleep", "600000")}}
            """);

        var up = await Tend("up", "added");

        up.ExitCode.ShouldBe(0, up.ToString());
        up.Stdout.ShouldContain("changed: added: added");
        var status = await Tend("status", "--json");
        StateOf(status, "added").ShouldBe("running");
    }

    [Fact(Timeout = 120_000)]
    public async Task Stack_file_changed_names_what_was_added_and_removed()
    {
        WriteStack($$"""
            [components.kept]
            command = {{Argv("sleep", "600000")}}
            [components.gone]
            command = {{Argv("sleep", "600000")}}
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        WriteStack($$"""
            [components.kept]
            command = {{Argv("sleep", "600000")}}
            [components.fresh]
            command = {{Argv("sleep", "600000")}}
            """);

        var up = await Tend("up");

        up.ExitCode.ShouldBe(0, up.ToString());
        var changed = _daemon.ReadEvents().Single(e => e.GetProperty("event").GetString() == "stack_file_changed");
        Strings(changed, "added").ShouldBe(["fresh"]);
        Strings(changed, "removed").ShouldBe(["gone"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task After_down_a_job_runs_again_before_what_requires_it_starts()
    {
        var port = LocalServer.FreePort();
        WriteStack($$"""
            [components.store]
            command = {{Argv("http", $"{port}", "200")}}
            health = { http = "http://127.0.0.1:{{port}}/" }
            [components.seed]
            kind = "job"
            command = {{Argv("exit", "0")}}
            requires = { store = "healthy" }
            [components.app]
            command = {{Argv("sleep", "600000")}}
            requires = { seed = "completed" }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        (await Tend("down")).ExitCode.ShouldBe(0);

        var again = await Tend("up");

        again.ExitCode.ShouldBe(0, again.ToString());
        var events = _daemon.ReadEvents();
        var secondUp = events.FindLastIndex(e => Kind(e) == "up_requested");
        var session = events.Skip(secondUp).ToList();
        var storeReady = session.FindIndex(e => Kind(e) == "component_ready" && Component(e) == "store");
        var seedStarting = session.FindIndex(e => Kind(e) == "component_starting" && Component(e) == "seed");
        var seedDone = session.FindIndex(e => Kind(e) == "job_completed" && Component(e) == "seed");
        var appStarting = session.FindIndex(e => Kind(e) == "component_starting" && Component(e) == "app");
        seedStarting.ShouldBeGreaterThan(storeReady, "the job runs again, once its requirement is healthy again");
        appStarting.ShouldBeGreaterThan(seedDone, "what requires the job waits for this session's run of it");
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_fails_with_the_reason_when_a_service_says_its_configuration_is_broken()
    {
        WriteStack($$"""
            [components.web]
            command = {{Argv("exit", "78")}}
            """);

        var up = await Tend("up");

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stdout.ShouldContain("✗ web is config broken");
        up.Stdout.ShouldNotContain("up in");
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_fails_with_the_reason_when_a_service_without_a_health_check_crashes_at_once()
    {
        WriteStack($$"""
            [components.web]
            command = {{Argv("crash-after", "0")}}
            restart = { backoff = "50ms..100ms", budget = "3/1m" }
            """);

        var up = await Tend("up");

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stdout.ShouldContain("✗ web is crash loop");
        up.Stdout.ShouldNotContain("up in");
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_once_fails_when_the_only_round_failed_authentication()
    {
        WriteStack($$"""
            [components.agent]
            kind = "rounds"
            command = {{Argv("stream-json", "auth")}}
            [components.agent.rounds]
            classify_preset = "claude"
            """);

        var up = await Tend("up", "agent", "--once");

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stdout.ShouldContain("✗ agent is failed: auth");
        up.Stdout.ShouldNotContain("✓ agent");
    }

    [Fact(Timeout = 120_000)]
    public async Task Restart_says_the_new_pid_and_that_it_is_healthy_again()
    {
        var port = LocalServer.FreePort();
        WriteStack($$"""
            [components.store]
            command = {{Argv("http", $"{port}", "200")}}
            health = { http = "http://127.0.0.1:{{port}}/" }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var before = PidOf(await Tend("status", "--json"), "store");

        var restart = await Tend("restart", "store");

        restart.ExitCode.ShouldBe(0, restart.ToString());
        var after = PidOf(await Tend("status", "--json"), "store");
        after.ShouldNotBe(before);
        restart.Stdout.ShouldContain($"pid {after}");
        restart.Stdout.ShouldContain("healthy");
        restart.Stdout.ShouldNotContain("stopped");
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_of_a_component_that_cannot_start_says_so_and_exits_1()
    {
        WriteStack($$"""
            [components.fine]
            command = {{Argv("sleep", "600000")}}
            [components.ghost]
            command = ["./no-such-server"]
            """);
        (await Tend("up", "fine")).ExitCode.ShouldBe(0);

        var start = await Tend("start", "ghost");

        start.ExitCode.ShouldBe(1, start.ToString());
        start.Stdout.ShouldContain("✗ ghost");
        start.Stdout.ShouldContain("./no-such-server: not found");
        start.Stdout.ShouldNotContain("✓ ghost");
    }

    [Fact(Timeout = 120_000)]
    public async Task Stop_names_who_is_still_alive_during_the_grace_and_when_kill_was_sent()
    {
        WriteStack($$"""
            [components.queue]
            command = {{Argv("ignore-term")}}
            stop = { grace = "2s" }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var pid = PidOf(await Tend("status", "--json"), "queue");
        var log = Path.Combine(_daemon.Directory, "logs", "queue", "current.log");
        await DaemonState.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("ready", StringComparison.Ordinal));

        var stop = await Tend("stop", "queue");

        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain($"still alive: pid {pid} (");
        stop.Stdout.ShouldContain("SIGKILL");
        stop.Stdout.ShouldContain("✓ queue stopped");
    }

    private static string Kind(JsonElement e) => e.GetProperty("event").GetString()!;

    private static string? Component(JsonElement e) => e.GetProperty("component").GetString();

    private static List<string> Strings(JsonElement e, string field) => [.. e.GetProperty(field).EnumerateArray().Select(v => v.GetString()!)];

    private static JsonElement ComponentOf(TendResult status, string name) =>
        status.Json.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string StateOf(TendResult status, string name) => ComponentOf(status, name).GetProperty("state").GetString()!;

    private static int PidOf(TendResult status, string name) => ComponentOf(status, name).GetProperty("pid").GetInt32();
}
