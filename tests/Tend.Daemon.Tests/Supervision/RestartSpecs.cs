using Microsoft.Extensions.Time.Testing;
using Tend.Core.Status;
using Tend.Daemon.Supervision;
using Tend.Daemon.Tests.Support;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

public sealed class RestartSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_crashing_service_comes_back_with_exponential_back_off()
    {
        var time = new FakeTimeProvider();
        await using var fixture = new SupervisorFixture($$"""
            [components.flaky]
            command = {{DummyArgv("exit", "1")}}
            restart = { policy = "on-failure", backoff = "1s..4s", budget = "100/1h" }
            """, time);

        fixture.Supervisor.Up([]);
        var delays = new List<long>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var scheduled = await fixture.Events.WaitForAsync("restart_scheduled", "flaky", attempt);
            delays.Add((long)scheduled["delay_ms"]!);
            time.Advance(TimeSpan.FromMilliseconds((long)scheduled["delay_ms"]!));
            await fixture.Events.WaitForAsync("component_started", "flaky", attempt + 1);
        }

        // The fifth run exits at once too; with its restart scheduled, the fake clock holds the count still.
        await fixture.Events.WaitForAsync("restart_scheduled", "flaky", 5);

        // 1 s, 2 s, 4 s, then the 4 s cap, each within ±20% jitter and never past the cap.
        delays[0].ShouldBeInRange(800, 1200);
        delays[1].ShouldBeInRange(1600, 2400);
        delays[2].ShouldBeInRange(3200, 4000);
        delays[3].ShouldBeInRange(3200, 4000);
        fixture.Get("flaky").Restarts.ShouldBe(5);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_back_off_resets_after_a_run_that_stayed_up()
    {
        var time = new FakeTimeProvider();
        await using var fixture = new SupervisorFixture($$"""
            [components.flaky]
            command = {{DummyArgv("exit", "1")}}
            restart = { policy = "on-failure", backoff = "1s..60s", reset_after = "30s", budget = "100/1h" }
            """, time);
        fixture.Supervisor.Up([]);
        var first = await fixture.Events.WaitForAsync("restart_scheduled", "flaky", 1);
        time.Advance(TimeSpan.FromMilliseconds((long)first["delay_ms"]!));
        var second = await fixture.Events.WaitForAsync("restart_scheduled", "flaky", 2);
        ((long)second["delay_ms"]!).ShouldBeGreaterThan(1500);

        // The third run stays up (in fake time) longer than reset_after before it exits.
        await fixture.Supervisor.Find("flaky")!.StopAsync();
        await using var longRun = new SupervisorFixture($$"""
            [components.flaky]
            command = {{DummyArgv("sleep", "600000")}}
            restart = { policy = "always", backoff = "1s..60s", reset_after = "30s", budget = "100/1h" }
            """, time);
        longRun.Supervisor.Up([]);
        var firstLong = await longRun.Events.WaitForAsync("component_started", "flaky", 1);
        time.Advance(TimeSpan.FromSeconds(31));
        EndRun(firstLong);
        var afterLongRun = await longRun.Events.WaitForAsync("restart_scheduled", "flaky", 1);
        time.Advance(TimeSpan.FromMilliseconds((long)afterLongRun["delay_ms"]!));
        var secondLong = await longRun.Events.WaitForAsync("component_started", "flaky", 2);
        time.Advance(TimeSpan.FromSeconds(31));
        EndRun(secondLong);
        await longRun.Events.WaitForAsync("backoff_reset", "flaky", 1);
        var reset = await longRun.Events.WaitForAsync("restart_scheduled", "flaky", 2);

        ((long)reset["delay_ms"]!).ShouldBeInRange(800, 1200);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_that_keeps_crashing_is_left_in_crash_loop_with_the_reason()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.doomed]
            command = {{DummyArgv("crash-after", "0", "--code", "3")}}
            restart = { policy = "always", backoff = "0s", budget = "3/1h" }
            """);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("doomed", ComponentState.CrashLoop);

        var crash = await fixture.Events.WaitForAsync("crash_loop", "doomed");
        crash["restarts"].ShouldBe(3L);
        crash["last_exit"].ShouldBe("exit code 3");
        ((IReadOnlyList<string>)crash["log_tail"]!).ShouldContain("fatal: something broke");
        fixture.Get("doomed").Reason!.ShouldStartWith("crash loop: 3 restarts within 1h");
        fixture.Events.All.Count(e => e.Kind == "component_started" && e.Component == "doomed").ShouldBe(4);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_service_left_in_crash_loop_is_stopped_when_asked_and_not_judged_failed_any_more()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.doomed]
            command = {{DummyArgv("crash-after", "0", "--code", "3")}}
            restart = { policy = "always", backoff = "0s", budget = "2/1h" }
            """);
        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("doomed", ComponentState.CrashLoop);

        await fixture.Supervisor.DownAsync(["doomed"]);

        var doomed = fixture.Get("doomed");
        doomed.State.ShouldBe(ComponentState.Stopped);
        doomed.Reason.ShouldBe("stopped on request");
        doomed.Verdict.Kind.ShouldBe(VerdictKind.Stopped);
    }

    [Fact(Timeout = 60_000)]
    public async Task Exit_78_means_config_broken_and_is_never_restarted()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.misconfigured]
            command = {{DummyArgv("exit", "78", "--print", "bad setting: port")}}
            restart = { policy = "always", backoff = "0s" }
            """);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("misconfigured", ComponentState.ConfigBroken);

        fixture.Events.All.Count(e => e.Kind == "component_started").ShouldBe(1);
        fixture.Get("misconfigured").LastExitCode.ShouldBe(78);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_runs_to_completion_and_is_not_restarted()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.seed]
            kind = "job"
            command = {{DummyArgv("echo", "seeded")}}
            """);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("seed", ComponentState.Completed);

        fixture.Output.Lines("seed", 1).ShouldContain("seeded");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_program_that_does_not_exist_fails_at_once_with_the_reason()
    {
        await using var fixture = new SupervisorFixture("""
            [components.ghost]
            command = ["./no-such-program"]
            """);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("ghost", ComponentState.Failed);

        fixture.Get("ghost").Reason!.ShouldStartWith("./no-such-program: not found");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_liveness_probe_that_keeps_failing_restarts_the_service()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.app]
            command = {{DummyArgv("sleep", "600000")}}
            health = { exec = ["test", "-f", "alive"], interval = "100ms", retries = 3 }
            restart = { policy = "on-failure", backoff = "0s" }
            """);
        var alive = Path.Combine(fixture.Directory.Path, "alive");
        File.WriteAllText(alive, "");

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("app", ComponentState.Healthy);
        File.Delete(alive);
        var failed = await fixture.Events.WaitForAsync("liveness_failed", "app");
        await fixture.Events.WaitForAsync("component_started", "app", 2);

        ((string)failed["summary"]!).ShouldBe("liveness: `test -f alive` exited with 1 (expected 0) ×3");
        failed["action"].ShouldBe("restart");
        fixture.Events.First("restart_scheduled", "app")["reason"].ShouldBe("liveness: `test -f alive` exited with 1 (expected 0) ×3");
    }

    /// <summary>Ends a run the test started, by its PID, once the fake clock says it has been up long enough.</summary>
    private static void EndRun(RecordedEvent started)
    {
        using var process = System.Diagnostics.Process.GetProcessById(Convert.ToInt32(started["pid"], System.Globalization.CultureInfo.InvariantCulture));
        process.Kill();
    }
}
