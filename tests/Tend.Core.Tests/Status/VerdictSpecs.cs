using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Tests.Status;

/// <summary>What "up" means, for every kind: decided from the snapshot alone, the same for every face.</summary>
public sealed class VerdictSpecs
{
    private static readonly DateTimeOffset Then = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    private static ComponentSnapshot Snapshot(ComponentKind kind, ComponentState state, string? reason = null, ProbeHealth? health = null, RoundsSnapshot? rounds = null) =>
        new("api", kind, state, reason, Then, 1, state.IsRunning() ? 4242 : null, null, null, 0, health, 0, null, null, null, null, null, null, null, rounds);

    private static RoundsSnapshot Rounds(int? max, int sessionRounds, string? lastOutcome, string? endedBy) =>
        new(sessionRounds, null, false, null, sessionRounds, max, lastOutcome, 1, null, null, null, null, null, 0, false, 0, "/s", false, null, "/stop", false, endedBy);

    [Fact]
    public void A_service_with_a_probe_is_up_when_healthy_and_not_before()
    {
        Snapshot(ComponentKind.Service, ComponentState.Running, health: ProbeHealth.Starting).Verdict.Kind.ShouldBe(VerdictKind.Starting);
        Snapshot(ComponentKind.Service, ComponentState.Healthy, "HTTP 200 OK", ProbeHealth.Passing).Verdict.ShouldBe(new Verdict(VerdictKind.Up, "healthy: HTTP 200 OK"));
        Snapshot(ComponentKind.Service, ComponentState.Unhealthy, "HTTP 503", ProbeHealth.Failing).Verdict.Kind.ShouldBe(VerdictKind.Starting);
    }

    [Fact]
    public void A_service_without_a_probe_is_up_once_it_stayed_running_for_min_uptime()
    {
        var running = Snapshot(ComponentKind.Service, ComponentState.Running);

        running.Verdict.ShouldBe(new Verdict(VerdictKind.Starting, "running (pid 4242), not ready yet"));
        (running with { ReadyAt = Then.AddSeconds(1) }).Verdict.ShouldBe(new Verdict(VerdictKind.Up, "running (pid 4242)"));
    }

    [Theory]
    [InlineData(ComponentState.ConfigBroken, "exited with 78 (EX_CONFIG)")]
    [InlineData(ComponentState.CrashLoop, "crash loop: 5 restarts within 2m")]
    [InlineData(ComponentState.Failed, "./server: not found")]
    [InlineData(ComponentState.Exited, "exit code 0 (restart policy: no)")]
    public void A_settled_failure_is_failed_with_its_reason(ComponentState state, string reason)
    {
        Snapshot(ComponentKind.Service, state, reason).Verdict.ShouldBe(new Verdict(VerdictKind.Failed, reason));
    }

    [Fact]
    public void A_component_not_meant_to_run_is_stopped_not_failed_and_will_not_come_up()
    {
        var stopped = Snapshot(ComponentKind.Service, ComponentState.Stopped, "stopped on request");
        var neverAsked = Snapshot(ComponentKind.Job, ComponentState.Stopped);

        stopped.Verdict.ShouldBe(new Verdict(VerdictKind.Stopped, "stopped: stopped on request"));
        neverAsked.Verdict.ShouldBe(new Verdict(VerdictKind.Stopped, "stopped"));
        stopped.Verdict.IsBad.ShouldBeFalse();
        stopped.Verdict.WillNotComeUp.ShouldBeTrue();
    }

    [Fact]
    public void A_component_asked_to_run_that_has_not_moved_yet_is_starting()
    {
        (Snapshot(ComponentKind.Service, ComponentState.Stopped) with { Active = true }).Verdict.ShouldBe(new Verdict(VerdictKind.Starting, "about to start"));
    }

    [Fact]
    public void Backing_off_is_still_starting()
    {
        Snapshot(ComponentKind.Service, ComponentState.Backoff, "exit code 1; restarting in 1s").Verdict.ShouldBe(new Verdict(VerdictKind.Starting, "backoff: exit code 1; restarting in 1s"));
    }

    [Fact]
    public void Waiting_for_a_requirement_that_failed_is_stuck()
    {
        var waiting = Snapshot(ComponentKind.Service, ComponentState.Waiting) with
        {
            Blockers = [new UnmetRequirement("db", RequirementCondition.Healthy, ComponentState.CrashLoop, Stuck: true)],
        };
        var merelyWaiting = waiting with { Blockers = [new UnmetRequirement("db", RequirementCondition.Healthy, ComponentState.Starting, Stuck: false)] };

        waiting.Verdict.ShouldBe(new Verdict(VerdictKind.Stuck, "waiting for db, which is crash loop"));
        merelyWaiting.Verdict.Kind.ShouldBe(VerdictKind.Starting);
    }

    [Fact]
    public void A_job_is_up_when_completed()
    {
        Snapshot(ComponentKind.Job, ComponentState.Running).Verdict.Kind.ShouldBe(VerdictKind.Starting);
        Snapshot(ComponentKind.Job, ComponentState.Completed, "completed in 0.2s").Verdict.ShouldBe(new Verdict(VerdictKind.Up, "completed in 0.2s"));
        Snapshot(ComponentKind.Job, ComponentState.Failed, "exit code 2").Verdict.Kind.ShouldBe(VerdictKind.Failed);
    }

    [Fact]
    public void Bounded_rounds_are_up_when_a_trigger_ended_them_after_a_good_round()
    {
        var done = Snapshot(ComponentKind.Rounds, ComponentState.Completed, "ran 1 of 1 rounds", rounds: Rounds(1, 1, "ok", "rounds_max_reached"));
        var lastFailed = done with { Rounds = Rounds(1, 1, "failed", "rounds_max_reached") };
        var underway = Snapshot(ComponentKind.Rounds, ComponentState.BetweenRounds, rounds: Rounds(3, 1, "ok", null));

        done.Verdict.ShouldBe(new Verdict(VerdictKind.Up, "ran 1 of 1 rounds"));
        lastFailed.Verdict.ShouldBe(new Verdict(VerdictKind.Failed, "ran 1 of 1 rounds, but its last round failed"));
        underway.Verdict.Kind.ShouldBe(VerdictKind.Starting);
    }

    [Fact]
    public void Rounds_stopped_by_an_auth_failure_failed()
    {
        var stopped = Snapshot(ComponentKind.Rounds, ComponentState.Failed, "auth: authentication_error; fix it, then `tend start agent`", rounds: Rounds(1, 1, "failed", "failed"));

        stopped.Verdict.Kind.ShouldBe(VerdictKind.Failed);
    }

    [Fact]
    public void Unbounded_rounds_are_up_once_underway()
    {
        Snapshot(ComponentKind.Rounds, ComponentState.Waiting, rounds: Rounds(null, 0, null, null)).Verdict.Kind.ShouldBe(VerdictKind.Starting);
        Snapshot(ComponentKind.Rounds, ComponentState.Throttled, rounds: Rounds(null, 2, "failed", null)).Verdict.Kind.ShouldBe(VerdictKind.Up);
    }

    [Fact]
    public void An_external_component_is_up_when_its_probe_passes()
    {
        Snapshot(ComponentKind.External, ComponentState.Unhealthy, "connection refused").Verdict.Kind.ShouldBe(VerdictKind.Starting);
        Snapshot(ComponentKind.External, ComponentState.Healthy, "PONG").Verdict.Kind.ShouldBe(VerdictKind.Up);
    }

    [Fact]
    public void The_verdict_is_in_the_json_every_face_reads()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(
            new StackSnapshot("s", "/s/tend.toml", 1, 1, Then, Then, [Snapshot(ComponentKind.Service, ComponentState.CrashLoop, "crash loop")]),
            StatusJson.Default.StackSnapshot);

        json.ShouldContain("\"kind\":\"service\"");
        json.ShouldContain("\"state\":\"crash_loop\"");
        json.ShouldContain("\"verdict\":{\"kind\":\"failed\",\"reason\":\"crash loop\"");
    }

    [Fact]
    public void Every_state_is_written_as_its_name()
    {
        foreach (var state in Enum.GetValues<ComponentState>())
        {
            System.Text.Json.JsonSerializer.Serialize(state, typeof(ComponentState), StatusJson.Default).ShouldBe($"\"{state.Name()}\"");
        }
    }

    [Fact]
    public void Every_enum_in_status_json_is_written_in_snake_case_and_read_back()
    {
        RoundTrips<ComponentState>();
        RoundTrips<ProbeHealth>();
        RoundTrips<VerdictKind>();
        RoundTrips<ComponentKind>();
        RoundTrips<RequirementCondition>();
    }

    private static void RoundTrips<T>() where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(value, typeof(T), StatusJson.Default);
            json.ShouldBe($"\"{SnakeCase(value.ToString())}\"", $"{typeof(T).Name}.{value}");
            System.Text.Json.JsonSerializer.Deserialize(json, typeof(T), StatusJson.Default).ShouldBe(value);
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
