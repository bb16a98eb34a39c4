using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Supervision;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>
/// A rounds component running the fake agent (tests/Tend.Dummy stream-json) for real, with a
/// fake clock for every delay, grace period, timeout and throttle.
/// </summary>
public sealed class RoundsSpecs
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static string Agent(string rounds, params string[] args) => $$"""
        [components.agent]
        kind = "rounds"
        command = {{DummyArgv(["stream-json", .. args])}}
        [components.agent.rounds]
        {{rounds}}
        """;

    [Fact(Timeout = 60_000)]
    public async Task Rounds_run_until_max_rounds_and_end_completed()
    {
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 3", "ok"), new FakeTimeProvider(Noon));

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.All.Count(e => e.Kind == "round_started").ShouldBe(3);
        var reached = fixture.Events.First("rounds_max_reached", "agent");
        reached["rounds"].ShouldBe(3L);
        reached["max_rounds"].ShouldBe(3L);
        fixture.Get("agent").Reason.ShouldBe("ran 3 of 3 rounds");
        fixture.Get("agent").Rounds!.EndedBy.ShouldBe("rounds_max_reached");
    }

    [Fact(Timeout = 60_000)]
    public async Task Once_runs_one_round_whatever_the_stack_file_says()
    {
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 50", "ok"), new FakeTimeProvider(Noon));

        fixture.Supervisor.Up(["agent"], maxRounds: 1);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.All.Count(e => e.Kind == "round_started").ShouldBe(1);
        fixture.Events.First("round_ended", "agent")["outcome"].ShouldBe("ok");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bound_given_to_running_rounds_means_that_many_more()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"30s\"", "ok"), time);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.BetweenRounds);
        fixture.Supervisor.Up(["agent"], maxRounds: 1);
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(10), () => fixture.Get("agent").State == ComponentState.Completed);

        fixture.Events.All.Count(e => e.Kind == "round_started").ShouldBe(2);
        fixture.Events.First("rounds_max_reached", "agent")["max_rounds"].ShouldBe(2L);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_done_sentinel_ends_the_rounds_with_its_reason_and_a_stale_one_is_cleared_first()
    {
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"", "ok", "--sentinel", "converged: hypothesis X holds\\nsecond line"), new FakeTimeProvider(Noon));
        var logDirectory = fixture.Output.LogDirectory("agent");
        Directory.CreateDirectory(logDirectory);
        await File.WriteAllTextAsync(Path.Combine(logDirectory, ".tend-done"), "left over from yesterday", TestContext.Current.CancellationToken);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.First("rounds_sentinel_cleared", "agent")["reason"].ShouldBe("left over from yesterday");
        var done = fixture.Events.First("rounds_sentinel", "agent");
        done["reason"].ShouldBe("converged: hypothesis X holds second line");
        done["rounds"].ShouldBe(1L);
        fixture.Get("agent").Reason.ShouldBe("done: converged: hypothesis X holds second line");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_sentinel_that_is_a_fifo_is_read_without_waiting_for_a_writer()
    {
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 1", "ok"), new FakeTimeProvider(Noon));
        var logDirectory = fixture.Output.LogDirectory("agent");
        Directory.CreateDirectory(logDirectory);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(logDirectory, ".tend-done")))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.First("rounds_sentinel_cleared", "agent")["reason"].ShouldBe("(empty)");
        fixture.Events.First("rounds_max_reached", "agent")["rounds"].ShouldBe(1L);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stop_file_ends_the_rounds_after_the_current_one_and_removing_it_does_not_resume()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"30s\"", "ok"), time);
        var stopFile = Path.Combine(fixture.Output.LogDirectory("agent"), "stop-requested");

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.BetweenRounds);
        await File.WriteAllTextAsync(stopFile, "", TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => fixture.Get("agent").State == ComponentState.Completed);
        File.Delete(stopFile);

        // The session is over once its task ended: from then on nothing can start a round, however long it waits.
        await fixture.WaitUntilAsync("agent", _ => !fixture.Supervisor.Find("agent")!.Active, "ended its session");
        time.Advance(TimeSpan.FromMinutes(5));

        fixture.Events.First("rounds_stop_file", "agent")["path"].ShouldBe(stopFile);
        fixture.Events.All.Count(e => e.Kind == "round_started").ShouldBe(1);
        fixture.Get("agent").State.ShouldBe(ComponentState.Completed);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_rate_limit_waits_until_the_servers_reset_time_plus_jitter()
    {
        var time = new FakeTimeProvider(Noon);
        var reset = Noon.AddHours(2);
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nclassify_preset = \"claude\"\nreset_jitter = \"5s..30s\"", "rate-limit", $"{reset.ToUnixTimeSeconds()}"), time);

        fixture.Supervisor.Up([]);
        var throttled = await fixture.Events.WaitForAsync("round_throttled", "agent");
        var classified = fixture.Events.First("round_classified", "agent");
        var until = DateTimeOffset.Parse((string)throttled["until"]!, System.Globalization.CultureInfo.InvariantCulture);

        classified["bucket"].ShouldBe("rate_limit_reset");
        classified["action"].ShouldBe("back_off");
        classified["reset_at"].ShouldBe(reset.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        throttled["from_server"].ShouldBe(true);
        until.ShouldBeInRange(reset.AddSeconds(5), reset.AddSeconds(30));
        fixture.Get("agent").State.ShouldBe(ComponentState.Throttled);
        fixture.Get("agent").Rounds!.ThrottledUntil.ShouldBe(until);

        // A minute before the time, nothing runs; the clock moves on a second at a time, and rounds
        // resume once it has come, not before.
        time.Advance(until - time.GetUtcNow() - TimeSpan.FromMinutes(1));
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => fixture.Events.All.Any(e => e.Kind == "round_throttle_recovered"));
        time.GetUtcNow().ShouldBeGreaterThanOrEqualTo(until);
        await fixture.Events.WaitForAsync("round_started", "agent", 2);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_reset_time_the_back_off_doubles_up_to_its_cap()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nclassify_preset = \"claude\"\nback_off_max = \"5m\"", "server-error"), time);

        fixture.Supervisor.Up([]);
        var delays = new List<long>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var throttled = await fixture.Events.WaitForAsync("round_throttled", "agent", attempt);
            throttled["bucket"].ShouldBe("server_error");
            throttled["attempt"].ShouldBe((long)attempt);
            delays.Add((long)throttled["delay_ms"]!);
            time.Advance(TimeSpan.FromMilliseconds((long)throttled["delay_ms"]!));
        }

        // 60 s, 120 s, 240 s (±20%), then the 5-minute cap; a classified failure never counts as a crash.
        delays[0].ShouldBeInRange(48_000, 72_000);
        delays[1].ShouldBeInRange(96_000, 144_000);
        delays[2].ShouldBeInRange(192_000, 288_000);
        delays[3].ShouldBe(300_000);
        fixture.Events.All.ShouldNotContain(e => e.Kind == "round_short_crash");
    }

    [Fact(Timeout = 60_000)]
    public async Task Five_unclassified_short_crashes_in_a_row_stop_the_rounds_as_crash_loop_with_a_redacted_tail()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("failure_delay = \"10s\"\nclassify_preset = \"claude\"", "crash", "--secret", "sk-ant-api03-PLANTEDsecretPLANTEDsecret"), time);

        fixture.Supervisor.Up([]);
        var delays = new List<long>();
        for (var crash = 1; crash <= 4; crash++)
        {
            var shortCrash = await fixture.Events.WaitForAsync("round_short_crash", "agent", crash);
            shortCrash["streak"].ShouldBe((long)crash);
            delays.Add((long)shortCrash["delay_ms"]!);
            time.Advance(TimeSpan.FromMilliseconds((long)shortCrash["delay_ms"]!));
        }

        await fixture.WaitForStateAsync("agent", ComponentState.CrashLoop);
        var loop = fixture.Events.First("rounds_crash_loop", "agent");

        delays.ShouldBe([10_000L, 20_000L, 40_000L, 80_000L]);
        loop["streak"].ShouldBe(5L);
        loop["last_exit"].ShouldBe("exit code 1");
        var tail = string.Join('\n', (IReadOnlyList<string>)loop["log_tail"]!);
        tail.ShouldContain("TypeError");
        tail.ShouldNotContain("PLANTEDsecret");
        fixture.Get("agent").Reason!.ShouldContain("5 rounds in a row failed");
    }

    [Fact(Timeout = 60_000)]
    public async Task Exit_78_stops_the_rounds_as_config_broken_until_started_again()
    {
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"", "config-broken"), new FakeTimeProvider(Noon));

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.ConfigBroken);

        fixture.Events.All.Count(e => e.Kind == "round_started").ShouldBe(1);
        ((IReadOnlyList<string>)fixture.Events.First("config_broken", "agent")["log_tail"]!).ShouldContain("startup check failed: prompt file is empty");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_auth_failure_stops_the_rounds_by_the_presets_rule()
    {
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nclassify_preset = \"claude\"", "auth"), new FakeTimeProvider(Noon));

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Failed);

        var stopped = fixture.Events.First("rounds_stopped_by_rule", "agent");
        stopped["bucket"].ShouldBe("auth");
        fixture.Get("agent").Reason!.ShouldStartWith("auth: ");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_network_failure_is_an_alert_and_the_rounds_go_on()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("failure_delay = \"10s\"\nclassify_preset = \"claude\"", "network"), time);

        fixture.Supervisor.Up([]);
        var alert = await fixture.Events.WaitForAsync("round_alert", "agent");
        await fixture.WaitForStateAsync("agent", ComponentState.BetweenRounds);
        time.Advance(TimeSpan.FromSeconds(10));
        await fixture.Events.WaitForAsync("round_started", "agent", 2);

        alert["bucket"].ShouldBe("network");
        ((string)alert["line"]!).ShouldContain("ECONNRESET");
    }

    [Fact(Timeout = 60_000)]
    public async Task Rounds_that_fail_at_once_with_an_alert_every_time_end_in_a_crash_loop()
    {
        // Issue 8: an alert rule slowed nothing, and a round failing the same way at once ran 19 times in 2 s.
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("failure_delay = \"1s\"\ncrash_loop_after = 3\nclassify_preset = \"claude\"", "network"), time);

        fixture.Supervisor.Up([]);
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => fixture.Get("agent").State == ComponentState.CrashLoop);

        fixture.Events.All.Count(e => e.Kind == "round_alert").ShouldBe(3);
        fixture.Events.All.Where(e => e.Kind == "round_short_crash").Select(e => e["delay_ms"]).ShouldBe([1000L, 2000L]);
        fixture.Events.First("rounds_crash_loop", "agent")["streak"].ShouldBe(3L);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_round_hung_after_its_result_is_killed_after_the_grace_period()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 1\nresult = '\"type\":\"result\"'\ngrace_after_result = \"60s\"\ntimeout = \"1h\"", "hang"), time);

        fixture.Supervisor.Up([]);
        await WaitForLineAsync(fixture, "\"type\":\"result\"");
        time.Advance(TimeSpan.FromSeconds(61));
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.First("round_grace_kill", "agent")["grace_ms"].ShouldBe(60_000L);
        var ended = fixture.Events.First("round_ended", "agent");
        ended["outcome"].ShouldBe("grace_kill");
        ended["result_seen"].ShouldBe(true);
        fixture.Events.All.ShouldNotContain(e => e.Kind == "round_timeout_kill");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_round_whose_background_work_goes_on_after_its_result_is_left_to_finish()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 1\nresult = '\"type\":\"result\"'\ngrace_after_result = \"60s\"", "background", "--child-ms", "600000"), time);

        fixture.Supervisor.Up([]);
        await WaitForResultAndChildAsync(fixture);
        time.Advance(TimeSpan.FromSeconds(61));
        var extended = await fixture.Events.WaitForAsync("round_grace_extended", "agent");
        var child = ((IReadOnlyList<string>)extended["live_children"]!).ShouldHaveSingleItem();
        child.ShouldContain("sleep 600000");

        // The background work ends; the round then ends as it would have on its own.
        EndProcess(child);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.First("round_ended", "agent")["outcome"].ShouldBe("ok");
        fixture.Events.All.ShouldNotContain(e => e.Kind == "round_grace_kill");
    }

    [Fact(Timeout = 60_000)]
    public async Task Ignored_helpers_do_not_keep_a_hung_round_alive()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 1\nresult = '\"type\":\"result\"'\ngrace_after_result = \"60s\"\ngrace_ignore = ['sleep \\d+']", "background", "--child-ms", "600000"), time);

        fixture.Supervisor.Up([]);
        await WaitForResultAndChildAsync(fixture);
        time.Advance(TimeSpan.FromSeconds(61));
        var kill = await fixture.Events.WaitForAsync("round_grace_kill", "agent");
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        ((IReadOnlyList<string>)kill["ignored_children"]!).ShouldHaveSingleItem().ShouldContain("sleep 600000");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_wall_clock_timeout_kills_a_round_whatever_it_is_doing()
    {
        var time = new FakeTimeProvider(Noon);
        await using var fixture = new SupervisorFixture(Agent("delay = \"0s\"\nmax_rounds = 1\ntimeout = \"10m\"", "silent-hang"), time);

        fixture.Supervisor.Up([]);
        await fixture.Events.WaitForAsync("round_started", "agent");
        await AdvanceUntilAsync(time, TimeSpan.FromMinutes(1), () => fixture.Events.All.Any(e => e.Kind == "round_timeout_kill"));
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Events.First("round_timeout_kill", "agent")["timeout_ms"].ShouldBe(600_000L);
        fixture.Events.First("round_ended", "agent")["outcome"].ShouldBe("timeout_kill");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_throttle_survives_a_daemon_restart()
    {
        var time = new FakeTimeProvider(Noon);
        var reset = Noon.AddHours(3);
        var toml = Agent("delay = \"0s\"\nclassify_preset = \"claude\"", "rate-limit", $"{reset.ToUnixTimeSeconds()}");
        RoundsSnapshot saved;
        await using (var first = new SupervisorFixture(toml, time))
        {
            first.Supervisor.Up([]);
            await first.WaitForStateAsync("agent", ComponentState.Throttled);
            saved = first.Get("agent").Rounds!;
        }

        await using var second = new SupervisorFixture(toml, time);
        second.Supervisor.Restore([new ComponentSnapshot("agent", ComponentKind.Rounds, ComponentState.Throttled, null, Noon, 1, null, null, null, 0, null, 0, null, 1, null, null, null, null, null, saved)], previousStack: null);
        second.Supervisor.Up([]);
        var restored = await second.Events.WaitForAsync("round_throttled", "agent");

        // Waiting out the throttle: the session reached its wait before any round, and the clock does not move.
        await second.WaitUntilAsync("agent", s => s.Rounds?.NextRoundAt == saved.ThrottledUntil, "began waiting out the throttle");

        restored["restored"].ShouldBe(true);
        restored["from_server"].ShouldBe(true);
        second.Get("agent").Rounds!.Round.ShouldBe(1);
        restored["until"].ShouldBe(saved.ThrottledUntil!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        second.Get("agent").State.ShouldBe(ComponentState.Throttled);
        second.Events.All.ShouldNotContain(e => e.Kind == "round_started");
    }

    [Fact(Timeout = 60_000)]
    public async Task Phases_rotate_and_each_round_gets_its_prompt_round_and_phase()
    {
        await using var fixture = new SupervisorFixture("""
            [components.agent]
            kind = "rounds"
            command = __ARGV__
            [components.agent.rounds]
            delay = "0s"
            max_rounds = 3
            phases = ["diverge", "converge"]
            [components.agent.prompt]
            files = ["common.md"]
            separator = " + "
            arg = ["-p", "{prompt}"]
            [components.agent.phase.diverge]
            prompt = ["common.md", "diverge.md"]
            [components.agent.phase.converge]
            prompt = ["common.md", "converge.md"]
            """.Replace("__ARGV__", DummyArgv("stream-json", "ok"), StringComparison.Ordinal), new FakeTimeProvider(Noon), setUp: directory =>
            {
                File.WriteAllText(Path.Combine(directory, "common.md"), "goal");
                File.WriteAllText(Path.Combine(directory, "diverge.md"), "explore");
                File.WriteAllText(Path.Combine(directory, "converge.md"), "decide");
            });

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Output.Lines("agent", 1).ShouldContain(l => l.Contains("round 1 phase 'diverge' got the prompt: goal + explore", StringComparison.Ordinal));
        fixture.Output.Lines("agent", 2).ShouldContain(l => l.Contains("round 2 phase 'converge' got the prompt: goal + decide", StringComparison.Ordinal));
        fixture.Output.Lines("agent", 3).ShouldContain(l => l.Contains("round 3 phase 'diverge'", StringComparison.Ordinal));
        fixture.Events.All.Where(e => e.Kind == "round_started").Select(e => e["phase"]).ShouldBe(["diverge", "converge", "diverge"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_prompt_can_go_to_stdin()
    {
        await using var fixture = new SupervisorFixture("""
            [components.agent]
            kind = "rounds"
            command = __ARGV__
            [components.agent.rounds]
            max_rounds = 1
            [components.agent.prompt]
            files = ["one.md", "two.md"]
            stdin = true
            """.Replace("__ARGV__", DummyArgv("stream-json", "ok", "--stdin"), StringComparison.Ordinal), new FakeTimeProvider(Noon), setUp: directory =>
            {
                File.WriteAllText(Path.Combine(directory, "one.md"), "first");
                File.WriteAllText(Path.Combine(directory, "two.md"), "second");
            });

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);

        fixture.Output.Lines("agent", 1).ShouldContain(l => l.Contains("got the prompt: first |  | second", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_pre_round_hook_that_rewrites_the_prompt_is_recorded_and_a_failing_on_start_aborts()
    {
        await using var fixture = new SupervisorFixture("""
            [components.agent]
            kind = "rounds"
            command = __ARGV__
            [components.agent.rounds]
            max_rounds = 2
            delay = "0s"
            [components.agent.prompt]
            files = ["prompt.md"]
            arg = ["-p", "{prompt}"]
            [components.agent.hooks]
            pre_round = ["sh", "-c", "echo \"round $TEND_ROUND\" > prompt.md"]
            [components.broken]
            kind = "rounds"
            command = ["true"]
            [components.broken.hooks]
            on_start = ["sh", "-c", "echo no token; exit 3"]
            """.Replace("__ARGV__", DummyArgv("stream-json", "ok"), StringComparison.Ordinal), new FakeTimeProvider(Noon), setUp: directory =>
                File.WriteAllText(Path.Combine(directory, "prompt.md"), "round 0\n"));

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);
        await fixture.WaitForStateAsync("broken", ComponentState.Failed);

        var hooks = fixture.Events.All.Where(e => e.Kind == "hook_ran" && e.Component == "agent").ToList();
        hooks.Count.ShouldBe(2);
        hooks[0]["prompt_changed"].ShouldBe(true);
        fixture.Output.Lines("agent", 2).ShouldContain(l => l.Contains("got the prompt: round 2", StringComparison.Ordinal));
        var failed = fixture.Events.First("hook_failed", "broken");
        failed["hook"].ShouldBe("on_start");
        failed["error"].ShouldBe("exit code 3");
        ((IReadOnlyList<string>)failed["output_tail"]!).ShouldContain("no token");
        fixture.Events.All.ShouldNotContain(e => e.Kind == "round_started" && e.Component == "broken");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hook_that_leaves_a_process_in_the_background_neither_hangs_the_rounds_nor_leaves_it_running()
    {
        await using var fixture = new SupervisorFixture("""
            [components.agent]
            kind = "rounds"
            command = __ARGV__
            [components.agent.rounds]
            max_rounds = 1
            [components.agent.hooks]
            pre_round = ["sh", "-c", "sleep 600 & echo $! > background.pid; echo started it"]
            """.Replace("__ARGV__", DummyArgv("stream-json", "ok"), StringComparison.Ordinal), new FakeTimeProvider(Noon));

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("agent", ComponentState.Completed);
        var background = int.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.Directory.Path, "background.pid"), TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        fixture.Events.First("hook_ran", "agent")["hook"].ShouldBe("pre_round");
        fixture.Events.First("round_ended", "agent")["outcome"].ShouldBe("ok");
        (Processes.ProcStat.Read(background) is { IsZombie: false }).ShouldBeFalse("the hook's background process must be stopped with it");
    }

    private static async Task WaitForLineAsync(SupervisorFixture fixture, string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        while (!fixture.Output.Lines("agent", fixture.Get("agent").Run).Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, deadline.Token);
        }
    }

    /// <summary>The result line and the child's line come on different streams, in either order: the grace period counts from the result.</summary>
    private static async Task WaitForResultAndChildAsync(SupervisorFixture fixture)
    {
        await WaitForLineAsync(fixture, "\"type\":\"result\"");
        await WaitForLineAsync(fixture, "background child");
    }

    /// <summary>Ends a process the test's round started, by the PID in a "pid N (command)" description.</summary>
    private static void EndProcess(string description)
    {
        var pid = int.Parse(description["pid ".Length..description.IndexOf(' ', "pid ".Length)], System.Globalization.CultureInfo.InvariantCulture);
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
    }

    /// <summary>Moves the fake clock on step by step until something happens: a wait may not be registered at the first step yet.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        while (!condition())
        {
            time.Advance(step);
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, deadline.Token);
        }
    }
}
