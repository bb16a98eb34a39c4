using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// The monitor as a user meets it: each built-in rule made real by a process that eats memory,
/// goes silent, fails its login, floods the network errors, hangs a round or fills a disk; the
/// alert fires once, its action is taken, and it resolves once the condition is gone, across a
/// SIGKILL of the daemon too; and notifiers that are slow or dead never hold supervision up.
/// </summary>
public sealed class MonitorSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public MonitorSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private void Stack(string components) => _directory.Write("tend.toml", $$"""
        [monitor]
        interval = "200ms"

        {{components}}
        """);

    private async Task UpAsync(params string[] args)
    {
        var up = await Tend(["up", .. args]);
        up.ExitCode.ShouldBe(0, up.ToString());
    }

    private List<JsonElement> Events(string kind) => [.. _daemon.ReadEvents().Where(e => e.GetProperty("event").GetString() == kind)];

    private List<JsonElement> Alerts(string kind, string rule) => [.. Events(kind).Where(e => e.GetProperty("rule").GetString() == rule)];

    private async Task<JsonElement> WaitForAsync(string kind, string rule, int count = 1)
    {
        await DaemonState.WaitUntilAsync(() => Alerts(kind, rule).Count >= count);
        return Alerts(kind, rule)[count - 1];
    }

    [Fact(Timeout = 120_000)]
    public async Task A_component_above_its_max_memory_is_restarted_and_the_alert_resolves_with_the_new_run()
    {
        Stack($$"""
            [components.hog]
            command = {{Argv("eat", "120", "--step-ms", "100")}}
            max_memory = "60MB"
            """);

        // In the background: the restart may come before `up` would have seen it up.
        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "max_memory");
        fired.GetProperty("component").GetString().ShouldBe("hog");
        fired.GetProperty("value").GetDouble().ShouldBeGreaterThan(60_000_000);
        fired.GetProperty("action").GetString().ShouldBe("restart");
        var action = await WaitForAsync("alert_action", "max_memory");
        action.GetProperty("outcome").GetString().ShouldBe("done");
        action.GetProperty("targets").EnumerateArray().Single().GetString().ShouldBe("hog");
        Events("component_stopping").First().GetProperty("reason").GetString().ShouldBe("alert max_memory on hog", "the stop says who asked for it");
        var resolved = await WaitForAsync("alert_resolved", "max_memory");
        resolved.GetProperty("facts")[0].GetString()!.ShouldContain("not");
        Events("component_started").Count.ShouldBeGreaterThanOrEqualTo(2, "restarted");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_silent_component_fires_stale_output_which_alerts_why_and_status_show_and_a_restart_resolves()
    {
        Stack($$"""
            [[monitor.rule]]
            name = "stale_output"
            above = "1s"
            components = ["quiet"]

            [components.quiet]
            command = {{Argv("sleep", "600000", "--ready")}}

            [components.chatty]
            command = {{Argv("lines", "100000", "--delay-ms", "100")}}
            """);

        await UpAsync();
        var fired = await WaitForAsync("alert_firing", "stale_output");
        fired.GetProperty("subject").GetString().ShouldBe("quiet");
        fired.GetProperty("severity").GetString().ShouldBe("warning");
        fired.GetProperty("hint").GetString()!.ShouldContain("tend logs quiet -n 50");

        var alerts = await Tend("alerts");
        alerts.ExitCode.ShouldBe(1, "an alert is firing");
        alerts.Stdout.ShouldContain("stale_output on quiet: no output for a while");
        alerts.Stdout.ShouldContain("output_idle = ");
        alerts.Stdout.ShouldNotContain("chatty");
        var json = (await Tend("alerts", "--json")).Json;
        json.GetProperty("firing").EnumerateArray().Single().GetProperty("rule").GetString().ShouldBe("stale_output");
        (await Tend("why", "quiet")).Stdout.ShouldContain("stale_output");
        (await Tend("status")).Stdout.ShouldContain("1 alert firing");

        // The hint's commands work as typed.
        var typed = await TypedCommand.RunAsync(fired.GetProperty("hint").GetString()!.Split('`')[1].Replace("tend ", TendBinary.Binary + " ", StringComparison.Ordinal), _directory.Path);
        typed.ExitCode.ShouldBe(0, typed.Output);
        typed.Output.ShouldContain("ready");

        (await Tend("restart", "quiet")).ExitCode.ShouldBe(0);
        await WaitForAsync("alert_resolved", "stale_output");
        Alerts("alert_firing", "stale_output").Count.ShouldBeLessThanOrEqualTo(2);
        (await Tend("stop", "quiet")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => Alerts("alert_resolved", "stale_output").Count == Alerts("alert_firing", "stale_output").Count);
        (await Tend("alerts")).ExitCode.ShouldBe(0, "nothing fires");
    }

    [Fact(Timeout = 120_000)]
    public async Task Rounds_that_keep_failing_to_log_in_fire_auth_fail_which_stops_them_with_the_login_hint()
    {
        Stack($$"""
            [components.agent]
            kind = "rounds"
            command = {{Argv("exit", "1", "--print", "HTTP 401 Unauthorized")}}
            [components.agent.rounds]
            delay = "0s"
            failure_delay = "100ms"
            [[components.agent.classify]]
            bucket = "auth"
            match = "401"
            action = "alert"
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "auth_fail");
        fired.GetProperty("severity").GetString().ShouldBe("critical");
        fired.GetProperty("facts")[0].GetString()!.ShouldContain("round_ended events with bucket=auth among the last 10 = 3");
        fired.GetProperty("hint").GetString()!.ShouldContain("tend start agent");
        (await WaitForAsync("alert_action", "auth_fail")).GetProperty("action").GetString().ShouldBe("stop");
        var agent = (await Tend("status", "--json")).Json.GetProperty("components")[0];
        agent.GetProperty("state").GetString().ShouldBe("stopped");
        agent.GetProperty("reason").GetString().ShouldBe("stopped: alert auth_fail on agent");

        // Logged in again: rounds that pass push the failures out of the last 10, and the alert resolves.
        var stack = Path.Combine(_directory.Path, "tend.toml");
        _directory.Write("tend.toml", File.ReadAllText(stack).Replace(Argv("exit", "1", "--print", "HTTP 401 Unauthorized"), Argv("exit", "0"), StringComparison.Ordinal));
        await UpAsync("-d");
        await WaitForAsync("alert_resolved", "auth_fail");
        Alerts("alert_firing", "auth_fail").Count.ShouldBe(1);
        Alerts("alert_firing", "auth_fail").Count.ShouldBe(1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Rounds_that_keep_failing_on_the_network_fire_network_fail_and_are_left_running()
    {
        Stack($$"""
            [components.agent]
            kind = "rounds"
            command = {{Argv("exit", "1", "--print", "Error: connect ECONNRESET 10.0.0.1:443")}}
            [components.agent.rounds]
            delay = "0s"
            failure_delay = "100ms"
            classify_preset = "generic"
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "network_fail");
        fired.GetProperty("severity").GetString().ShouldBe("warning");
        fired.GetProperty("action").GetString().ShouldBe("alert");
        var rounds = Events("round_ended").Count;
        await DaemonState.WaitUntilAsync(() => Events("round_ended").Count > rounds + 1);
        Events("alert_action").ShouldBeEmpty("alert only");

        // The network is back: once no more than 2 of the last 10 rounds failed on it, the alert resolves.
        var stack = Path.Combine(_directory.Path, "tend.toml");
        _directory.Write("tend.toml", File.ReadAllText(stack).Replace(Argv("exit", "1", "--print", "Error: connect ECONNRESET 10.0.0.1:443"), Argv("exit", "0"), StringComparison.Ordinal));
        await UpAsync("-d");
        var resolved = await WaitForAsync("alert_resolved", "network_fail");
        resolved.GetProperty("facts")[0].GetString()!.ShouldContain("among the last 10 = ");
        Alerts("alert_firing", "network_fail").Count.ShouldBe(1);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_long_throttle_fires_rate_limited_as_info_and_its_end_resolves_it()
    {
        var reset = TimeProvider.System.GetUtcNow().AddSeconds(6);
        Stack($$"""
            [[monitor.rule]]
            name = "rate_limited"
            above = "1s"

            [components.agent]
            kind = "rounds"
            command = {{Argv("stream-json", "rate-limit", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))}}
            [components.agent.rounds]
            delay = "0s"
            classify_preset = "claude"
            reset_jitter = "0s"
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "rate_limited");
        fired.GetProperty("severity").GetString().ShouldBe("info");
        await WaitForAsync("alert_resolved", "rate_limited");
        Events("alert_action").ShouldBeEmpty("never stops");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_round_that_outlives_its_timeout_by_half_fires_hung_round_until_it_is_gone()
    {
        Stack($$"""
            [components.agent]
            kind = "rounds"
            command = {{Argv("ignore-term")}}
            stop = { grace = "4s" }
            [components.agent.rounds]
            timeout = "1s"
            max_rounds = 1
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "hung_round");
        fired.GetProperty("facts")[0].GetString()!.ShouldContain("round_overrun = ");
        await WaitForAsync("alert_resolved", "hung_round");
        Events("round_timeout_kill").ShouldNotBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_service_that_keeps_restarting_fires_restarts_before_its_budget_runs_out()
    {
        Stack($$"""
            [[monitor.rule]]
            name = "restarts"
            above = 2
            events = { kind = "restart_scheduled", window = "2s" }

            [components.flappy]
            command = {{Argv("crash-after", "50")}}
            min_uptime = "0s"
            restart = { backoff = "0s..0s", budget = "1000/1m" }
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "restarts");
        fired.GetProperty("hint").GetString()!.ShouldContain("tend why flappy");
        (await Tend("stop", "flappy")).ExitCode.ShouldBe(0);
        await WaitForAsync("alert_resolved", "restarts");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_service_red_for_longer_than_allowed_fires_unhealthy_for_and_stopping_it_resolves()
    {
        var port = LocalServer.FreePort();
        Stack($$"""
            [[monitor.rule]]
            name = "unhealthy_for"
            above = "1s"

            [components.web]
            command = {{Argv("http", port.ToString(CultureInfo.InvariantCulture), "500")}}
            health = { http = "http://127.0.0.1:{{port}}/", interval = "200ms" }
            restart = { on_unhealthy = false }
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "unhealthy_for");
        fired.GetProperty("subject").GetString().ShouldBe("web");
        var why = (await Tend("why", "web")).Stdout;
        why.ShouldNotContain("nothing is wrong");
        why.ShouldContain("its health probe has not passed yet (HTTP 500");
        why.ShouldContain("unhealthy_for");
        (await Tend("stop", "web")).ExitCode.ShouldBe(0);
        await WaitForAsync("alert_resolved", "unhealthy_for");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_filling_disk_warns_then_stops_the_components_writing_there_and_resolves_once_freed()
    {
        using var disk = await TinyFilesystem.MountAsync(kibibytes: 2048);
        Stack($$"""
            [components.writer]
            command = {{Argv("sleep", "600000")}}
            cwd = "{{disk.Path}}"

            [components.elsewhere]
            command = {{Argv("sleep", "600000")}}
            """);

        await UpAsync();
        var filler = disk.Fill();
        var critical = await WaitForAsync("alert_firing", "disk_critical");
        critical.GetProperty("subject").GetString().ShouldBe(disk.Path);
        critical.GetProperty("facts")[0].GetString()!.ShouldContain("disk_used_percent = 100 %");
        (await WaitForAsync("alert_firing", "disk")).GetProperty("severity").GetString().ShouldBe("warning");
        var action = await WaitForAsync("alert_action", "disk_critical");
        action.GetProperty("targets").EnumerateArray().Select(t => t.GetString()).ShouldBe(["writer"], "the other component writes elsewhere");
        var status = (await Tend("status", "--json")).Json.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("state").GetString());
        status["writer"].ShouldBe("stopped");
        status["elsewhere"].ShouldBe("running");

        File.Delete(filler);
        await WaitForAsync("alert_resolved", "disk_critical");
        await WaitForAsync("alert_resolved", "disk");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_alert_fires_once_across_a_daemon_sigkill_resolves_once_and_one_that_arose_while_the_daemon_was_down_fires_once()
    {
        // Host memory "below 100 TB available" holds on every machine: a real reading of a real condition.
        const string Holds = """
            [[monitor.rule]]
            name = "memory"
            below = "100TB"
            either = []
            """;
        const string Clear = """
            [[monitor.rule]]
            name = "memory"
            below = "1kB"
            either = []
            """;
        Stack(Holds + $$"""

            [components.app]
            command = {{Argv("sleep", "600000")}}
            """);
        await UpAsync();
        (await WaitForAsync("alert_firing", "memory")).GetProperty("subject").GetString().ShouldBe("host");
        File.Exists(Path.Combine(_daemon.Directory, "alerts.json")).ShouldBeTrue();

        Signals.Send(_daemon.ReadDaemonPid()!.Value, Signals.SIGKILL);
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(_daemon.ReadDaemonPid()!.Value));
        await UpAsync();
        Events("daemon_started").Count.ShouldBe(2);
        // Several samples of the new daemon.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TimeProvider.System, TestContext.Current.CancellationToken);
        Alerts("alert_firing", "memory").Count.ShouldBe(1, "still holding after the restart: nothing new");
        (await Tend("alerts")).Stdout.ShouldContain("memory on host");

        _directory.Write("tend.toml", File.ReadAllText(Path.Combine(_directory.Path, "tend.toml")).Replace(Holds, Clear, StringComparison.Ordinal));
        await UpAsync();
        await WaitForAsync("alert_resolved", "memory");

        (await Tend("daemon", "stop")).ExitCode.ShouldBe(0);
        _directory.Write("tend.toml", File.ReadAllText(Path.Combine(_directory.Path, "tend.toml")).Replace(Clear, Holds, StringComparison.Ordinal));
        await UpAsync();
        await WaitForAsync("alert_firing", "memory", count: 2);
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, TestContext.Current.CancellationToken);
        Alerts("alert_firing", "memory").Count.ShouldBe(2, "the condition that arose while the daemon was down fired exactly once");
        Alerts("alert_resolved", "memory").Count.ShouldBe(1);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_idle_host_fires_idle_with_the_stacks_action()
    {
        Stack($$"""
            [[monitor.rule]]
            name = "idle"
            average = "1s"
            below = 101
            also = [{ metric = "host.gpu_percent", average = "1s", below = 5, if_missing = true }]
            for = "0s"
            action = "stop"
            components = ["model"]

            [components.model]
            command = {{Argv("sleep", "600000")}}
            """);

        await UpAsync("-d");
        var fired = await WaitForAsync("alert_firing", "idle");
        fired.GetProperty("facts").EnumerateArray().Select(f => f.GetString()).ShouldContain(f => f!.Contains("host.gpu_percent averaged over 1s: none here, counts as holding"));
        (await WaitForAsync("alert_action", "idle")).GetProperty("targets")[0].GetString().ShouldBe("model");

        // Busy again by the rule's measure (a host is never below 0 %): the reload clears it.
        var stack = Path.Combine(_directory.Path, "tend.toml");
        _directory.Write("tend.toml", File.ReadAllText(stack).Replace("below = 101", "below = 0", StringComparison.Ordinal));
        await UpAsync("-d");
        await WaitForAsync("alert_resolved", "idle");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_webhook_gets_each_alert_signed_retried_after_a_500_and_a_dead_one_never_slows_a_restart()
    {
        await using var receiver = new WebhookReceiver(500, 200);
        var dead = LocalServer.FreePort();
        Stack($$"""
            [[monitor.rule]]
            name = "stale_output"
            above = "500ms"
            components = ["quiet"]

            [components.quiet]
            command = {{Argv("sleep", "600000", "--ready")}}

            [components.flappy]
            command = {{Argv("crash-after", "300")}}
            min_uptime = "0s"
            restart = { backoff = "0s..0s", budget = "1000/1m" }

            [[notify]]
            webhook = "{{receiver.Url}}"
            secret_env = "TEND_TEST_HOOK_SECRET"

            [[notify]]
            name = "dead"
            webhook = "http://127.0.0.1:{{dead}}/hook"
            attempts = 20
            """);

        var up = await TendBinary.RunAsync(_directory.Path, new Dictionary<string, string?> { ["TEND_TEST_HOOK_SECRET"] = "hunter2-hook" }, "up");
        up.ExitCode.ShouldBe(0, up.ToString());
        var first = await receiver.NextAsync();
        var retried = await receiver.NextAsync();
        retried.Body.ShouldBe(first.Body, "the same delivery, again after the 500");
        retried.Header("X-Tend-Delivery").ShouldBe(first.Header("X-Tend-Delivery"));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("hunter2-hook"), retried.Body));
        retried.Header("X-Tend-Signature-256").ShouldBe(expected);
        var body = JsonDocument.Parse(retried.Body).RootElement;
        (body.GetProperty("state").GetString(), body.GetProperty("rule").GetString(), body.GetProperty("subject").GetString()).ShouldBe(("firing", "stale_output", "quiet"));

        await DaemonState.WaitUntilAsync(() => Events("notify_failed").Any(e => e.GetProperty("notifier").GetString() == "dead"));
        var failed = Events("notify_failed").First(e => e.GetProperty("notifier").GetString() == "dead");
        failed.GetProperty("reason").GetString()!.ShouldContain("refused");
        _daemon.ReadEvents().ShouldAllBe(e => !e.ToString().Contains("hunter2-hook", StringComparison.Ordinal));

        // Restart latency with a dead notifier retrying: each exit is followed by its restart at once.
        await DaemonState.WaitUntilAsync(() => Events("component_started").Count(e => e.GetProperty("component").GetString() == "flappy") >= 5);
        var all = _daemon.ReadEvents().Where(e => e.GetProperty("component").ValueKind == JsonValueKind.String && e.GetProperty("component").GetString() == "flappy").ToList();
        var gaps = new List<TimeSpan>();
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].GetProperty("event").GetString() == "component_exited" && all.Skip(i).FirstOrDefault(e => e.GetProperty("event").GetString() == "component_started") is { ValueKind: JsonValueKind.Object } next)
            {
                gaps.Add(next.GetProperty("ts").GetDateTimeOffset() - all[i].GetProperty("ts").GetDateTimeOffset());
            }
        }

        gaps.Count.ShouldBeGreaterThanOrEqualTo(3);
        gaps.Max().ShouldBeLessThan(TimeSpan.FromSeconds(1), $"restart latency: {string.Join(", ", gaps.Select(g => g.TotalMilliseconds))} ms");
    }

    [Fact(Timeout = 120_000)]
    public async Task Monitor_shows_a_frame_of_the_stack_and_monitor_events_prints_new_events_only_as_json_lines()
    {
        Stack($$"""
            [[monitor.rule]]
            name = "stale_output"
            above = "500ms"

            [components.quiet]
            command = {{Argv("sleep", "600000", "--ready")}}
            """);
        await UpAsync();
        await WaitForAsync("alert_firing", "stale_output");
        await DaemonState.WaitUntilAsync(() => File.Exists(Path.Combine(_daemon.Directory, "state.json")));

        var frame = await Tend("monitor");
        frame.ExitCode.ShouldBe(0, frame.ToString());
        frame.Stdout.ShouldContain("host load ");
        frame.Stdout.ShouldContain("quiet");
        frame.Stdout.ShouldContain("alerts firing: 1");
        frame.Stdout.ShouldContain("stale_output on quiet");
        frame.Stdout.ShouldContain("newest events:");
        var json = (await Tend("monitor", "--json")).Json;
        json.GetProperty("host").GetProperty("memory_available_bytes").GetInt64().ShouldBeGreaterThan(0);
        json.GetProperty("alerts")[0].GetProperty("rule").GetString().ShouldBe("stale_output");

        var history = _daemon.ReadEvents().Count;
        using var follower = TendBinary.Start(_directory.Path, null, "monitor", "--events", "--json");
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await follower.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        }, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, TestContext.Current.CancellationToken);
        (await Tend("restart", "quiet")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() =>
        {
            lock (lines)
            {
                return lines.Any(l => l.Contains("\"component_started\"", StringComparison.Ordinal));
            }
        });
        follower.Kill(entireProcessTree: true);
        await reading;
        lines.ShouldAllBe(l => JsonDocument.Parse(l, default).RootElement.GetProperty("ts").GetDateTimeOffset() > _daemon.ReadEvents()[history - 1].GetProperty("ts").GetDateTimeOffset(), "no history replayed");
        lines.ShouldContain(l => l.Contains("\"component_stopping\"", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_rule_with_a_check_of_its_own_fires_while_the_check_fails_restarts_what_it_names_and_resolves_when_it_passes()
    {
        var port = LocalServer.FreePort();
        Stack($$"""
            [[monitor.rule]]
            name = "api_reachable"
            check = { http = "http://127.0.0.1:{{port}}/health", timeout = "1s" }
            above = "300ms"
            severity = "critical"
            hint = "`tend why api`"

            [components.api]
            command = {{Argv("http", port.ToString(CultureInfo.InvariantCulture), "200")}}
            health = { http = "http://127.0.0.1:{{port}}/health", interval = "200ms" }
            """);

        // Up returns once api answers: a loaded machine once took longer than the rule's 300 ms to start it, and the rule fired before the stop.
        await UpAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, TestContext.Current.CancellationToken);
        Alerts("alert_firing", "api_reachable").ShouldBeEmpty("the check passes");
        (await Tend("stop", "api")).ExitCode.ShouldBe(0);

        var fired = await WaitForAsync("alert_firing", "api_reachable");
        (fired.GetProperty("subject").GetString(), fired.GetProperty("severity").GetString()).ShouldBe(("api_reachable", "critical"));
        fired.GetProperty("summary").GetString()!.ShouldContain($"check failing: http http://127.0.0.1:{port}/health");
        fired.GetProperty("facts")[0].GetString()!.ShouldContain("check_failing_for = ");
        (await Tend("start", "api")).ExitCode.ShouldBe(0);
        await WaitForAsync("alert_resolved", "api_reachable");
    }
}
