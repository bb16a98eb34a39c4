using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Tests.Workflows.Running;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;

namespace Tend.Core.Tests.Workflows.Stats;

/// <summary>
/// A run that failed, then succeeded on `tend workflow resume`: the record keeps both passes, and
/// the KPIs and the exposition's counters count one failure and one success, so nothing counted
/// before the resumption is taken back (a counter that went down would read as a reset).
/// </summary>
public sealed class ResumedRunCountSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_failed_run_resumed_to_success_is_one_failure_and_one_success_each_with_its_own_tokens_and_duration()
    {
        using var dir = new TempDirectory();
        dir.Write("gate", "closed");
        var workflow = Flow.Of(dir,
            Flow.Sh("a", "echo '{\"tokens_used\": 100}'"),
            Flow.Sh("b", "echo '{\"tokens_used\": 10}'; [ \"$(cat gate)\" = open ]", "a"));
        var (first, runDir, _) = await Flow.RunAsync(dir, workflow);
        first.Outcome.ShouldBe(RunOutcome.Failed);
        var before = WorkflowTotals.Of([first]).Single();
        dir.Write("gate", "open");

        var (resumed, _, _) = await Flow.RunAsync(dir, workflow, resume: RunStore.Read(runDir), directory: runDir);
        var kept = RunStore.Read(runDir)!;

        kept.Outcome.ShouldBe(RunOutcome.Succeeded);
        kept.Passes!.Select(p => p.Outcome).ShouldBe([RunOutcome.Failed, RunOutcome.Succeeded]);
        kept.Passes!.Select(p => p.Tokens).ShouldBe([110L, 10L], "a kept step's tokens are the first pass's; b's rerun reports its own");
        kept.Passes![1].Started.ShouldBeGreaterThanOrEqualTo(kept.Passes![0].Ended!.Value);
        kept.Started.ShouldBe(first.Started, "the run started when it first did");
        kept.Tokens.ShouldBe(120);

        var after = WorkflowTotals.Of([kept]).Single();
        for (var i = 0; i < before.Outcomes.Count; i++)
        {
            if (i != (int)RunOutcome.Running)
            {
                after.Outcomes[i].ShouldBeGreaterThanOrEqualTo(before.Outcomes[i], $"runs {StepStates.OutcomeNames[i]} went down on resume");
            }
        }

        after.Outcomes[(int)RunOutcome.Failed].ShouldBe(1);
        after.Outcomes[(int)RunOutcome.Succeeded].ShouldBe(1);
        after.Durations.Sum().ShouldBe(2);
        after.DurationSum.ShouldBe(kept.Passes!.Sum(p => p.Seconds!.Value), 1e-9);
        after.Tokens.ShouldBeGreaterThanOrEqualTo(before.Tokens);

        var stats = WorkflowStatistics.Compute(workflow.Name, [kept], TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1));
        stats.Runs.ShouldBe(2);
        stats.Resumptions.ShouldBe(1);
        stats.Succeeded.ShouldBe(1);
        stats.Failed.ShouldBe(1);
        stats.SuccessPercent.ShouldBe(50.0);
        stats.Tokens.ShouldBe(120);
        stats.FailingSteps.ShouldBe([new FailingStep("b", 1, 1)], "b failed in the first pass, and its attempt there failed");
        resumed.Passes!.Count.ShouldBe(2);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_approved_after_it_failed_is_no_failure_of_its_pass_before_or_after_a_resumption()
    {
        using var dir = new TempDirectory();
        dir.Write("gate", "closed");
        var workflow = Flow.Of(dir,
            Flow.Sh("review", "exit 1") with { OnFail = OnFail.PauseForReview },
            Flow.Sh("ship", "[ \"$(cat gate)\" = open ]", "review"));
        RunDirectory? runDir = null;
        var (first, directory, _) = await Flow.RunAsync(dir, workflow, onTransition: t =>
        {
            if (t.State == StepState.Paused)
            {
                RunStore.WriteDecision(runDir!, new ReviewDecision("review", true, null, TimeProvider.System.GetUtcNow()));
            }
        }, directory: runDir = new RunStore(System.IO.Path.Combine(dir.Path, ".tend")).Create(workflow.Name, TimeProvider.System.GetUtcNow()));
        first.Outcome.ShouldBe(RunOutcome.Failed);
        first.Passes![0].FailedSteps.ShouldBe(["ship"]);
        var before = WorkflowStatistics.Compute(workflow.Name, [first], TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)).FailingSteps;
        dir.Write("gate", "open");

        var (resumed, _, _) = await Flow.RunAsync(dir, workflow, resume: RunStore.Read(directory), directory: directory);

        resumed.Passes!.Select(p => p.FailedSteps).ShouldBe([["ship"], []]);
        var after = WorkflowStatistics.Compute(workflow.Name, [resumed], TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)).FailingSteps;
        after.Single(f => f.Step == "ship").FailedRuns.ShouldBe(before.Single(f => f.Step == "ship").FailedRuns, "the first pass counts as it did before the resumption");
        after.Where(f => f.Step == "review").Sum(f => f.FailedRuns).ShouldBe(0, "review was approved: its pass did not fail on it");
    }

    [Fact]
    public void A_run_ended_from_outside_its_runner_closes_its_running_pass_so_nothing_stays_running()
    {
        var started = RunRecords.Noon;
        var record = RunRecords.Run("triage", RunOutcome.Running, TimeSpan.Zero, null, RunRecords.Step("b", StepState.Failed)) with
        {
            Passes = [new RunPass(started, null, RunOutcome.Running, null, 2, 0, 0)],
        };

        var ended = record.EndedAs(RunOutcome.Failed, "tend failed while running it", started.AddSeconds(3));

        ended.Outcome.ShouldBe(RunOutcome.Failed);
        var pass = ended.Passes.ShouldHaveSingleItem();
        (pass.Outcome, pass.Ended).ShouldBe((RunOutcome.Failed, started.AddSeconds(3)));
        pass.FailedSteps.ShouldBe(["b"]);
        var totals = WorkflowTotals.Of([ended]).Single();
        totals.Outcomes[(int)RunOutcome.Running].ShouldBe(0);
        totals.Outcomes[(int)RunOutcome.Failed].ShouldBe(1);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_timeout_longer_than_a_timer_takes_is_a_run_not_an_internal_error()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "true") with { Timeout = TimeSpan.FromDays(100) }) with
        {
            Policy = WorkflowPolicy.Default with { Timeout = TimeSpan.FromDays(100) },
        };

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.Outcome.ShouldBe(RunOutcome.Succeeded, record.Reason);
    }

    [Fact]
    public void A_record_without_passes_reads_as_one_pass_the_whole_run()
    {
        var old = RunRecords.Run("triage", RunOutcome.Failed, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), RunRecords.Step("a", StepState.Failed, tokens: 7));

        var pass = old.AllPasses().ShouldHaveSingleItem();

        (pass with { FailedSteps = null }).ShouldBe(new RunPass(old.Started, old.Ended, RunOutcome.Failed, null, old.RunnerPid, 7, 0.007m));
        pass.FailedSteps.ShouldBe(["a"]);
        pass.Seconds.ShouldBe(30);
    }

    [Fact]
    public void An_interrupted_record_marks_its_last_running_pass_interrupted_and_leaves_earlier_ones_as_they_ended()
    {
        var started = RunRecords.Noon;
        var record = RunRecords.Run("triage", RunOutcome.Running, TimeSpan.Zero, null) with
        {
            Passes = [new RunPass(started, started.AddSeconds(5), RunOutcome.Failed, "step b failed", 1, 0, 0), new RunPass(started.AddMinutes(1), null, RunOutcome.Running, null, 2, 0, 0)],
        };

        var interrupted = record.Interrupted("its runner (pid 2) is gone");

        interrupted.Outcome.ShouldBe(RunOutcome.Interrupted);
        interrupted.Passes!.Select(p => (p.Outcome, p.Reason)).ShouldBe([(RunOutcome.Failed, "step b failed"), (RunOutcome.Interrupted, "its runner (pid 2) is gone")]);
    }
}
