using Shouldly;
using Tend.Core.Tests.Support;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>Skipped, omitted, "any", on_fail, and Argo's surprises pinned as the semantics users expected.</summary>
public sealed class OutcomeSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_step_whose_when_is_false_is_skipped_and_its_dependents_are_omitted()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "true") with { When = "false" }, Flow.Sh("b", "touch b.ran", "a"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("a").ShouldBe(StepState.Skipped);
        record.State("b").ShouldBe(StepState.Omitted);
        File.Exists(Path.Combine(dir.Path, "b.ran")).ShouldBeFalse();
        record.Outcome.ShouldBe(RunOutcome.Succeeded, "a condition that says no is not a failure");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_that_depends_on_any_runs_after_a_failure_the_run_goes_on_with()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "exit 3") with { OnFail = OnFail.Continue }, Flow.Sh("cleanup", "touch cleaned").AnyOf("a"), Flow.Sh("next", "true", "a"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("a").ShouldBe(StepState.Failed);
        record.Find("a")!.Reason.ShouldBe("exit code 3", "the words of ExitStatus, as every face says it");
        record.State("cleanup").ShouldBe(StepState.Succeeded);
        record.State("next").ShouldBe(StepState.Omitted);
        record.Outcome.ShouldBe(RunOutcome.Succeeded, "on_fail = continue tolerates it");
    }

    [Fact(Timeout = 60_000)]
    public async Task Argo_1386_a_skipped_step_omits_its_dependents_but_an_any_dependent_runs()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir,
            Flow.Sh("a", "true") with { When = "false" },
            Flow.Sh("strict", "touch strict.ran", "a"),
            Flow.Sh("lenient", "touch lenient.ran").AnyOf("a"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("strict").ShouldBe(StepState.Omitted);
        record.State("lenient").ShouldBe(StepState.Succeeded);
        File.Exists(Path.Combine(dir.Path, "lenient.ran")).ShouldBeTrue();
    }

    [Fact(Timeout = 60_000)]
    public async Task Argo_9370_a_step_whose_every_dependency_was_skipped_is_omitted_and_says_why()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir,
            Flow.Sh("a", "true") with { When = "false" },
            Flow.Sh("b", "true") with { When = "false" },
            Flow.Sh("c", "true", "a", "b"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("c").ShouldBe(StepState.Omitted);
        record.Find("c")!.Reason.ShouldBe("every step it depends on was skipped (a, b)");
    }

    [Fact(Timeout = 60_000)]
    public async Task Argo_10321_omission_carries_down_the_chain_and_says_which_upstream_did_not_succeed()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir,
            Flow.Sh("a", "exit 1") with { OnFail = OnFail.Continue },
            Flow.Sh("b", "true", "a"),
            Flow.Sh("c", "true", "b"),
            Flow.Sh("report", "touch report.ran").AnyOf("c"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("b").ShouldBe(StepState.Omitted);
        record.Find("b")!.Reason.ShouldBe("needs a to succeed (a failed)");
        record.State("c").ShouldBe(StepState.Omitted);
        record.Find("c")!.Reason.ShouldBe("needs b to succeed (b was omitted)");
        record.State("report").ShouldBe(StepState.Succeeded, "an any-dependent of an omitted step runs: omitted has ended");
        record.Outcome.ShouldBe(RunOutcome.Succeeded, "on_fail = continue tolerates the failure");
    }

    [Fact(Timeout = 60_000)]
    public async Task On_fail_stop_lets_running_steps_finish_and_omits_what_had_not_started()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir,
            Flow.Sh("fails", "exit 2"),
            Flow.Sh("slow", "sleep 0.5; touch slow.done"),
            Flow.Sh("later", "true", "slow"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("slow").ShouldBe(StepState.Succeeded);
        record.State("later").ShouldBe(StepState.Omitted);
        record.Find("later")!.Reason!.ShouldStartWith("the run stopped before it");
        record.Outcome.ShouldBe(RunOutcome.Failed);
    }
}
