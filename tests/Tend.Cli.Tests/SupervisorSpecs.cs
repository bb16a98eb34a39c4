using System.Diagnostics;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend up` and the daemon, through the binary, with real processes.</summary>
public sealed class SupervisorSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public SupervisorSpecs() => _daemon = new DaemonState(_directory.Path);

    private string StateDirectory => _daemon.Directory;
    private string StubbornLog => Path.Combine(StateDirectory, "logs", "stubborn", "current.log");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    private void WriteStack(string toml) => _directory.Write("tend.toml", toml);

    [Fact(Timeout = 120_000)]
    public async Task Up_starts_in_order_status_answers_and_down_leaves_nothing_behind()
    {
        var port = LocalServer.FreePort();
        WriteStack($$"""
            [components.db]
            command = {{Argv("http", $"{port}", "200")}}
            health = { http = "http://127.0.0.1:{{port}}/" }
            [components.worker]
            command = {{Argv("spawn-children", "2")}}
            requires = { db = "healthy" }
            """);

        var up = await TendBinary.RunAsync(_directory.Path, "up");
        var status = await TendBinary.RunAsync(_directory.Path, "status", "--json");
        var pids = status.Json.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("pid").GetInt32()).ToList();
        var down = await TendBinary.RunAsync(_directory.Path, "down");

        up.ExitCode.ShouldBe(0, up.ToString());
        up.Stdout.ShouldContain("✓ db");
        up.Stdout.ShouldContain("✓ 2 components up in");
        status.Json.GetProperty("components")[0].GetProperty("state").GetString().ShouldBe("healthy");
        down.ExitCode.ShouldBe(0, down.ToString());
        pids.ShouldAllBe(pid => GroupMembers(pid).Count == 0);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_killed_daemon_leaves_no_service_running_unsupervised_and_the_next_one_cleans_up()
    {
        WriteStack($$"""
            [components.polite]
            command = {{Argv("sleep", "600000")}}
            [components.stubborn]
            command = {{Argv("ignore-term")}}
            stop = { grace = "1s" }
            """);
        (await TendBinary.RunAsync(_directory.Path, "up")).ExitCode.ShouldBe(0);
        var before = await TendBinary.RunAsync(_directory.Path, "status", "--json");
        var polite = PidOf(before, "polite");
        var stubborn = PidOf(before, "stubborn");
        // "Started" is the exec, not the TERM handler: a slow machine could kill the daemon before it is in place.
        await WaitUntilAsync(() => File.Exists(StubbornLog) && File.ReadAllText(StubbornLog).Contains("ready", StringComparison.Ordinal));

        Process.GetProcessById(ReadDaemonPid()!.Value).Kill();
        await WaitUntilAsync(() => GroupMembers(polite).Count == 0);
        var orphaned = await TendBinary.RunAsync(_directory.Path, "status");
        var again = await TendBinary.RunAsync(_directory.Path, "up");
        var after = await TendBinary.RunAsync(_directory.Path, "status", "--json");

        // The parent-death signal ended the polite one at once; the one that ignores TERM is reported, then stopped.
        orphaned.Stdout.ShouldContain("the daemon is not running");
        orphaned.Stdout.ShouldContain($"unsupervised: stubborn (pid {stubborn})");
        again.ExitCode.ShouldBe(0, again.ToString());
        GroupMembers(stubborn).ShouldBeEmpty();
        PidOf(after, "stubborn").ShouldNotBe(stubborn);
        var events = ReadEvents();
        events.ShouldContain(e => e.GetProperty("event").GetString() == "daemon_recovered");
        events.ShouldContain(e => e.GetProperty("event").GetString() == "orphan_stopped" && e.GetProperty("pid").GetInt32() == stubborn);
    }

    [Fact(Timeout = 120_000)]
    public async Task Events_stay_whole_lines_after_the_daemon_is_killed_while_busy()
    {
        WriteStack($$"""
            [components.churn]
            command = {{Argv("exit", "1")}}
            restart = { policy = "always", backoff = "0s", budget = "100000/1h" }
            """);
        (await TendBinary.RunAsync(_directory.Path, "up", "--detach")).ExitCode.ShouldBe(0);
        await WaitUntilAsync(() => ReadEvents().Count(e => e.GetProperty("event").GetString() == "component_started") >= 10);

        var daemon = ReadDaemonPid()!.Value;
        Process.GetProcessById(daemon).Kill();
        await WaitUntilAsync(() => !IsAlive(daemon));

        var lines = Directory.GetFiles(Path.Combine(StateDirectory, "events"), "events-*.jsonl").SelectMany(File.ReadAllLines).ToList();
        lines.Count.ShouldBeGreaterThan(20);
        foreach (var line in lines)
        {
            Should.NotThrow(() => JsonDocument.Parse(line), line);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_command_that_does_not_exist_fails_up_with_the_reason()
    {
        WriteStack("""
            [components.ghost]
            command = ["./no-such-server", "--port", "80"]
            """);

        var up = await TendBinary.RunAsync(_directory.Path, "up");

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stdout.ShouldContain("✗ ghost is failed: ./no-such-server: not found");
        up.Stdout.ShouldContain("tend why ghost");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_taken_port_stops_the_start_with_its_holder_named()
    {
        await using var holder = LocalServer.Silent();
        WriteStack($$"""
            [components.api]
            command = {{Argv("sleep", "600000")}}
            preflight = [{ port-free = {{holder.Port}} }]
            """);

        var up = await TendBinary.RunAsync(_directory.Path, "up");

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stdout.ShouldContain($"pre-flight failed: port {holder.Port} held by pid {Environment.ProcessId}");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_edited_stack_file_is_reloaded_and_what_changed_is_restarted()
    {
        WriteStack($$"""
            [components.kept]
            command = {{Argv("sleep", "600000")}}
            [components.edited]
            command = {{Argv("sleep", "600000")}}
            """);
        (await TendBinary.RunAsync(_directory.Path, "up")).ExitCode.ShouldBe(0);
        var before = await TendBinary.RunAsync(_directory.Path, "status", "--json");

        WriteStack($$"""
            [components.kept]
            command = {{Argv("sleep", "600000")}}
            [components.edited]
            command = {{Argv("sleep", "500000")}}
            env = { MODE = "new" }
            """);
        var up = await TendBinary.RunAsync(_directory.Path, "up");
        var after = await TendBinary.RunAsync(_directory.Path, "status", "--json");

        up.ExitCode.ShouldBe(0, up.ToString());
        up.Stdout.ShouldContain("changed: edited: command, env changed");
        up.Stdout.ShouldContain("changed: edited: restarted");
        PidOf(after, "kept").ShouldBe(PidOf(before, "kept"));
        PidOf(after, "edited").ShouldNotBe(PidOf(before, "edited"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_stale_socket_and_pid_file_from_a_dead_daemon_do_not_stop_a_new_one()
    {
        WriteStack($$"""
            [components.app]
            command = {{Argv("sleep", "600000")}}
            """);
        Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(Path.Combine(StateDirectory, "daemon.sock"), "");
        File.WriteAllText(Path.Combine(StateDirectory, "daemon.pid"), "999999\n");

        var up = await TendBinary.RunAsync(_directory.Path, "up");
        var status = await TendBinary.RunAsync(_directory.Path, "daemon", "status");

        up.ExitCode.ShouldBe(0, up.ToString());
        status.Stdout.ShouldContain("daemon running, pid");
    }

    [Fact(Timeout = 120_000)]
    public async Task Logs_events_why_and_peek_tell_what_a_crashing_service_did()
    {
        WriteStack($$"""
            [components.doomed]
            command = {{Argv("crash-after", "50", "--code", "3")}}
            restart = { policy = "always", backoff = "0s", budget = "2/1h" }
            [components.fine]
            command = {{Argv("echo", "hello from fine")}}
            kind = "job"
            """);
        (await TendBinary.RunAsync(_directory.Path, "up", "--detach")).ExitCode.ShouldBe(0);
        await WaitUntilAsync(() => File.Exists(Path.Combine(StateDirectory, "state.json")) && File.ReadAllText(Path.Combine(StateDirectory, "state.json")).Contains("crash_loop", StringComparison.Ordinal));
        var status = await TendBinary.RunAsync(_directory.Path, "status");

        var logs = await TendBinary.RunAsync(_directory.Path, "logs", "doomed", "-n", "5");
        var firstRun = await TendBinary.RunAsync(_directory.Path, "logs", "fine", "--run", "1");
        var runs = await TendBinary.RunAsync(_directory.Path, "logs", "doomed", "--runs");
        var events = await TendBinary.RunAsync(_directory.Path, "events", "--kind", "component_*", "--component", "doomed", "--json");
        var why = await TendBinary.RunAsync(_directory.Path, "why", "doomed");
        var peek = await TendBinary.RunAsync(_directory.Path, "peek", "--json");

        status.Stdout.ShouldMatch(@"doomed +crash loop");
        status.Stdout.ShouldNotContain("crash_loop", customMessage: "text says states in words; crash_loop is for JSON and filters");
        logs.Stdout.ShouldContain("fatal: something broke");
        firstRun.Stdout.ShouldContain("hello from fine");
        runs.Stdout.ShouldContain("run 3");
        var lines = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldNotBeEmpty();
        lines.Select(l => JsonDocument.Parse(l).RootElement).ShouldAllBe(e => e.GetProperty("event").GetString()!.StartsWith("component_", StringComparison.Ordinal) && e.GetProperty("component").GetString() == "doomed");
        why.Stdout.ShouldContain("doomed is crash loop since");
        why.Stdout.ShouldContain("run 3 exited with code 3");
        why.Stdout.ShouldContain("fatal: something broke");
        why.Stdout.ShouldContain("next: fix the cause above, then tend start doomed");
        peek.Json.GetProperty("daemon_running").GetBoolean().ShouldBeTrue();
        peek.Json.GetProperty("recent_events").GetArrayLength().ShouldBeGreaterThan(0);
    }

    private static int PidOf(TendResult status, string name) =>
        status.Json.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("pid").GetInt32();

    private int? ReadDaemonPid() => _daemon.ReadDaemonPid();

    private List<JsonElement> ReadEvents() => _daemon.ReadEvents();

    private static bool IsAlive(int pid) => DaemonState.IsAlive(pid);

    private static List<int> GroupMembers(int group) => [.. Daemon.Processes.ProcStat.GroupMembers(group).Select(m => m.Pid)];

    private static Task WaitUntilAsync(Func<bool> condition) => DaemonState.WaitUntilAsync(condition);
}
