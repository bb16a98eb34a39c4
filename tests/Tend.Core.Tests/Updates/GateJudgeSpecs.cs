using Tend.Core.Model;
using Tend.Core.Updates;

namespace Tend.Core.Tests.Updates;

/// <summary>The health gate's rules, on a timeline of what is seen (no clock: each event carries its time).</summary>
public sealed class GateJudgeSpecs
{
    private static readonly DateTimeOffset Restart = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => Restart.AddSeconds(seconds);

    private static GateJudge Service(bool health = true) => new(ComponentKind.Service, health, passes: 3, TimeSpan.FromSeconds(60), Restart);

    [Fact]
    public void Three_passes_in_a_row_and_a_quiet_window_keep_the_version_only_at_the_end_of_the_window()
    {
        var judge = Service();
        for (var i = 1; i <= 5; i++)
        {
            judge.Probe(true, "HTTP 200", At(i));
        }

        judge.Tick(At(59)).Decided.ShouldBeFalse("a crash later in the window would still fail it");
        var verdict = judge.Tick(At(60));

        verdict.Passed.ShouldBe(true);
        verdict.Evidence[0].ShouldBe("3 passing health checks in a row, the 3rd 3s after the restart");
        verdict.Evidence[1].ShouldBe("no crash and no failed check in 1m (5 checks since the first pass)");
    }

    [Fact]
    public void A_crash_twenty_seconds_in_fails_the_gate_however_well_it_began()
    {
        var judge = Service();
        judge.Probe(true, "ok", At(1));
        judge.Probe(true, "ok", At(2));
        judge.Probe(true, "ok", At(3));

        judge.Exited(false, "exit code 3", At(20));

        judge.Verdict.Passed.ShouldBe(false);
        judge.Verdict.Evidence.ShouldBe(["it crashed 20s after the restart: exit code 3"]);
        judge.Tick(At(60)).Passed.ShouldBe(false, "a failed gate stays failed");
    }

    [Fact]
    public void A_failed_check_after_a_pass_is_turning_unhealthy_but_failures_before_the_first_pass_are_the_start()
    {
        var judge = Service();
        judge.Probe(false, "connection refused", At(0.1));
        judge.Probe(false, "connection refused", At(0.2));
        judge.Verdict.Decided.ShouldBeFalse();

        judge.Probe(true, "ok", At(1));
        judge.Probe(false, "HTTP 503", At(2));

        judge.Verdict.Passed.ShouldBe(false);
        judge.Verdict.Evidence[0].ShouldBe("its health check failed 2s after the restart, after 1 pass: HTTP 503");
    }

    [Fact]
    public void Passes_that_are_not_in_a_row_are_not_enough()
    {
        var judge = Service();
        judge.Probe(false, "starting", At(1));
        judge.Probe(true, "ok", At(2));
        judge.Probe(true, "ok", At(3));

        var verdict = judge.Tick(At(60));

        verdict.Passed.ShouldBe(false);
        verdict.Evidence[0].ShouldBe("only 2 passing health checks in a row within 1m (needs 3)");
    }

    [Fact]
    public void A_check_that_never_passes_fails_at_the_end_or_when_the_supervisor_gives_up_first()
    {
        Service().Tick(At(60)).Evidence.ShouldBe(["its health check never passed within 1m"]);
        var judge = Service();
        judge.NeverHealthy("never became healthy within 1m6s: HTTP 500", At(66));
        judge.Verdict.Evidence.ShouldBe(["it did not become healthy (1m6s after the restart): never became healthy within 1m6s: HTTP 500"]);
    }

    [Fact]
    public void Without_a_health_check_a_service_must_come_up_and_stay_up()
    {
        var judge = Service(health: false);
        judge.Ready(At(1));
        judge.Tick(At(60)).Evidence.ShouldBe(["up 1s after the restart (no health check: it must stay up)", "no crash in 1m"]);

        Service(health: false).Tick(At(60)).Passed.ShouldBe(false);
    }

    [Fact]
    public void A_job_passes_when_it_completes_within_the_window_and_fails_when_it_fails_or_runs_past_it()
    {
        var job = new GateJudge(ComponentKind.Job, false, 3, TimeSpan.FromSeconds(60), Restart);
        job.Exited(true, "exit code 0", At(5));
        job.Verdict.Evidence.ShouldBe(["it completed 5s after the restart (exit code 0)"]);

        var failing = new GateJudge(ComponentKind.Job, false, 3, TimeSpan.FromSeconds(60), Restart);
        failing.Exited(false, "exit code 1", At(5));
        failing.Verdict.Passed.ShouldBe(false);

        new GateJudge(ComponentKind.Job, false, 3, TimeSpan.FromSeconds(60), Restart).Tick(At(60)).Evidence.ShouldBe(["it did not complete within 1m"]);
    }
}
