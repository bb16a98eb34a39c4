using Tend.Core.Model;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;
using static Tend.Core.Tests.Workflows.Stats.RunRecords;

namespace Tend.Core.Tests.Workflows.Stats;

/// <summary>
/// The KPIs a user reads in <c>tend workflow stats</c>: success over ended runs, p95 completion,
/// artifact success, tokens, retries, the steps failing most, each against the runbook's targets.
/// </summary>
public sealed class WorkflowStatsSpecs
{
    private static readonly TimeSpan Week = KpiTargets.DefaultWindow;
    private readonly FakeTimeProvider _time = new(Noon);

    private WorkflowStats Stats(TimeSpan window, params RunRecord[] runs) => WorkflowStatistics.Compute("triage", runs, _time.GetUtcNow(), window);

    private static Kpi Kpi(WorkflowStats stats, string name) => stats.Kpis.Single(k => k.Name == name);

    [Fact]
    public void Success_counts_ended_runs_only_and_interrupted_or_running_runs_are_counted_apart()
    {
        var runs = Enumerable.Range(1, 49).Select(i => Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(i), TimeSpan.FromSeconds(30)))
            .Append(Run("triage", RunOutcome.Failed, TimeSpan.FromHours(50), TimeSpan.FromSeconds(30)))
            .Append(Run("triage", RunOutcome.Interrupted, TimeSpan.FromHours(51), null))
            .Append(Run("triage", RunOutcome.Running, TimeSpan.FromMinutes(1), null))
            .ToArray();

        var stats = Stats(Week, runs);

        stats.Runs.ShouldBe(52);
        stats.Ended.ShouldBe(50);
        stats.Interrupted.ShouldBe(1);
        stats.Running.ShouldBe(1);
        stats.SuccessPercent.ShouldBe(98.0);
        Kpi(stats, WorkflowStatistics.Success).Verdict.ShouldBe(KpiVerdict.Met);
    }

    [Fact]
    public void One_failure_in_twenty_misses_the_98_percent_target()
    {
        var runs = Enumerable.Range(1, 19).Select(i => Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(i), TimeSpan.FromSeconds(30)))
            .Append(Run("triage", RunOutcome.Stopped, TimeSpan.FromHours(30), TimeSpan.FromSeconds(30)))
            .ToArray();

        var stats = Stats(Week, runs);

        stats.SuccessPercent.ShouldBe(95.0);
        Kpi(stats, WorkflowStatistics.Success).Verdict.ShouldBe(KpiVerdict.NotMet);
    }

    [Fact]
    public void Completion_is_the_p95_of_ended_runs_and_two_slow_runs_in_twenty_miss_the_two_minute_target()
    {
        var fast = Enumerable.Range(1, 18).Select(i => Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(i), TimeSpan.FromSeconds(10 * i)));
        var slow = new[] { Run("triage", RunOutcome.Failed, TimeSpan.FromHours(20), TimeSpan.FromMinutes(5)), Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(21), TimeSpan.FromMinutes(3)) };

        var stats = Stats(Week, [.. fast, .. slow]);

        // Nearest rank: p95 of 20 durations is the 19th smallest.
        stats.DurationP95Seconds.ShouldBe(180);
        stats.DurationMedianSeconds.ShouldBe(100);
        stats.SucceededDurationP95Seconds.ShouldBe(180);
        Kpi(stats, WorkflowStatistics.Completion).Verdict.ShouldBe(KpiVerdict.NotMet);

        var quick = Stats(Week, [.. fast]);
        quick.DurationP95Seconds.ShouldBe(180);
        Kpi(quick, WorkflowStatistics.Completion).Verdict.ShouldBe(KpiVerdict.NotMet);
        Kpi(Stats(Week, [.. fast.Take(12)]), WorkflowStatistics.Completion).Verdict.ShouldBe(KpiVerdict.Met);
    }

    [Fact]
    public void Artifact_success_counts_each_check_of_each_artifact_a_failed_attempt_included()
    {
        // review emits 2 artifacts: the first attempt's schema check failed one, the retry passed both.
        var run = Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(1), TimeSpan.FromSeconds(40),
            Step("lint", StepState.Succeeded, emits: 1),
            Step("review", StepState.Succeeded, tokens: 1200, emits: 2, ("artifacts/review.json: /0/line: expected integer", 1), (null, 0)));

        var stats = Stats(Week, run);

        stats.ArtifactsChecked.ShouldBe(5);
        stats.ArtifactsFailed.ShouldBe(1);
        stats.ArtifactSuccessPercent.ShouldBe(80.0);
        Kpi(stats, WorkflowStatistics.ArtifactSuccess).Verdict.ShouldBe(KpiVerdict.NotMet);
        stats.Retries.ShouldBe(1);
        stats.Tokens.ShouldBe(1200);
    }

    [Fact]
    public void The_window_leaves_older_runs_out_and_an_empty_window_has_no_data_not_a_zero()
    {
        var old = Run("triage", RunOutcome.Failed, TimeSpan.FromDays(2), TimeSpan.FromSeconds(30));
        var recent = Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30));

        Stats(TimeSpan.FromDays(1), old, recent).SuccessPercent.ShouldBe(100.0);
        Stats(Week, old, recent).SuccessPercent.ShouldBe(50.0);

        _time.Advance(TimeSpan.FromDays(1));
        var empty = Stats(TimeSpan.FromHours(12), old, recent);
        empty.Runs.ShouldBe(0);
        empty.SuccessPercent.ShouldBeNull();
        empty.TokensMedianPerRun.ShouldBeNull();
        empty.Kpis.ShouldAllBe(k => k.Verdict == KpiVerdict.NoData);
    }

    [Fact]
    public void Tokens_and_cost_have_a_total_and_a_median_per_run()
    {
        var runs = new[] { 100L, 300, 2000 }.Select((t, i) => Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(i + 1), TimeSpan.FromSeconds(5), Step("ai", StepState.Succeeded, tokens: t))).ToArray();

        var stats = Stats(Week, runs);

        stats.Tokens.ShouldBe(2400);
        stats.TokensMedianPerRun.ShouldBe(300);
        stats.Cost.ShouldBe(2.4m);
        stats.CostMedianPerRun.ShouldBe(0.3m);
    }

    [Fact]
    public void The_steps_failing_most_come_first_with_their_failed_runs_and_attempts()
    {
        var runs = new[]
        {
            Run("triage", RunOutcome.Failed, TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), Step("lint", StepState.Succeeded), Step("types", StepState.Failed, attempts: [("exit 1", 0), ("exit 1", 0)])),
            Run("triage", RunOutcome.Failed, TimeSpan.FromHours(2), TimeSpan.FromSeconds(5), Step("lint", StepState.Failed), Step("types", StepState.Failed)),
            Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(3), TimeSpan.FromSeconds(5), Step("lint", StepState.Succeeded, attempts: [("exit 1", 0), (null, 0)]), Step("types", StepState.Succeeded)),
            Run("other", RunOutcome.Failed, TimeSpan.FromHours(3), TimeSpan.FromSeconds(5), Step("deploy", StepState.Failed)),
        };

        var stats = Stats(Week, runs);

        stats.FailingSteps.ShouldBe([new FailingStep("types", 2, 3), new FailingStep("lint", 1, 2)]);
        stats.Runs.ShouldBe(3);
    }

    [Fact]
    public void An_attempt_counts_each_artifact_once_however_many_problems_it_has()
    {
        ArtifactSpec[] emits = [new("artifacts/lint.json", null), new("artifacts/types.json", null), new("artifacts/review.md", null)];
        var verdict = new ArtifactVerdict([], ["artifacts/lint.json: /0/line: expected integer", "artifacts/lint.json: /1/line: expected integer", "artifacts/review.md: empty"]);

        ArtifactTally.Of(emits, verdict).ShouldBe(new ArtifactTally(3, 2));
        ArtifactTally.Of([], verdict).ShouldBe(new ArtifactTally(null, null));
    }
}
