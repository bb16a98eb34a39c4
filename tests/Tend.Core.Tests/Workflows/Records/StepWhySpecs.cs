using Shouldly;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Tests.Workflows.Running;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Tests.Workflows.Records;

/// <summary>`tend why RUN STEP` in Core: a step's end, its log, its diagnosis, an omission's chain down to its root, and next steps that work as typed.</summary>
public sealed class StepWhySpecs : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task A_failed_step_is_explained_by_its_exit_its_last_output_and_how_to_run_it_by_hand()
    {
        var workflow = Flow.Of(_dir, Flow.Sh("lint", "echo checking; echo 'lint.py:3: undefined name x' >&2; exit 3"));
        var (record, directory, _) = await Flow.RunAsync(_dir, workflow);

        var why = StepWhy.Explain(record, directory, "lint", workflow, null);

        why.State.ShouldBe(StepState.Failed);
        why.Reason.ShouldBe("exit code 3");
        why.Ending.ShouldBe("exit code 3");
        why.Chain.ShouldBeEmpty();
        why.LogLines.ShouldContain("lint.py:3: undefined name x");
        why.LogLines[^1].ShouldBe("==> attempt 1 ended: exit code 3");
        why.Diagnosis.ShouldNotBeNull().RuleId.ShouldBe("run-failed");
        why.Next.ShouldBe([
            $"tend workflow logs {record.Run} lint",
            $"cd {_dir.Path} && sh -c 'echo checking; echo '\\''lint.py:3: undefined name x'\\'' >&2; exit 3'",
            $"tend workflow resume {record.Run}",
        ]);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_knowledge_base_reads_the_steps_log()
    {
        var workflow = Flow.Of(_dir, Flow.Sh("fetch", "echo 'curl: (7) Failed to connect to localhost port 5999: Connection refused' >&2; exit 7"));
        var (record, directory, _) = await Flow.RunAsync(_dir, workflow);

        StepWhy.Explain(record, directory, "fetch", workflow, null).Diagnosis.ShouldNotBeNull().RuleId.ShouldBe("run-connection-refused");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_omitted_step_is_explained_by_the_chain_down_to_the_failure_that_omitted_it()
    {
        var workflow = Flow.Of(_dir, Flow.Sh("lint", "exit 3"), Flow.Sh("types", "true"), Flow.Sh("build", "true", "types", "lint"), Flow.Sh("ship", "true", "build"));
        var (record, directory, _) = await Flow.RunAsync(_dir, workflow);

        var why = StepWhy.Explain(record, directory, "ship", workflow, null);

        why.State.ShouldBe(StepState.Omitted);
        why.Chain.Select(l => (l.Step, l.State)).ShouldBe([("build", StepState.Omitted), ("lint", StepState.Failed)]);
        why.Chain[^1].Reason.ShouldBe("exit code 3");
        why.Root.ShouldBe("lint");
        why.LogLines.ShouldBeEmpty("it never ran");
        why.Diagnosis.ShouldBeNull();
        why.Next.ShouldBe([$"tend workflow why {record.Run} lint", $"tend workflow resume {record.Run}"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_the_workflow_the_chain_follows_the_reasons_of_the_record()
    {
        var workflow = Flow.Of(_dir, Flow.Sh("lint", "exit 3") with { OnFail = OnFail.Continue }, Flow.Sh("build", "true", "lint"), Flow.Sh("ship", "true", "build"));
        var (record, _, _) = await Flow.RunAsync(_dir, workflow);
        record.Find("ship")!.Reason.ShouldBe("needs build to succeed (build was omitted)");

        StepWhy.Chain(record, "ship", null).Select(l => l.Step).ShouldBe(["build", "lint"]);
    }

    [Fact]
    public void The_chain_follows_a_failure_before_a_skip()
    {
        var record = Record(
            Step("check", StepState.Skipped, "when exists('x') was false"),
            Step("lint", StepState.Failed, "exit code 3"),
            Step("ship", StepState.Omitted, "needs check to succeed (check was skipped), lint to succeed (lint failed)"));

        StepWhy.Chain(record, "ship", id => id == "ship" ? ["check", "lint"] : []).ShouldHaveSingleItem().Step.ShouldBe("lint");
    }

    [Fact]
    public void A_step_omitted_because_the_run_stopped_has_no_chain()
    {
        var record = Record(Step("a", StepState.Succeeded, null), Step("b", StepState.Omitted, "the run stopped: tokens 1200 over max_tokens 1000"));

        StepWhy.Chain(record, "b", _ => ["a"]).ShouldBeEmpty();
        StepWhy.Explainable(record).ShouldHaveSingleItem().Id.ShouldBe("b");
    }

    [Fact]
    public void A_step_left_running_by_a_runner_that_went_away_is_what_an_interrupted_run_explains()
    {
        var record = Record(Step("a", StepState.Succeeded, null), Step("b", StepState.Running, null), Step("c", StepState.Pending, null)) with { Outcome = RunOutcome.Interrupted, RunnerPid = 4321 };

        var cut = StepWhy.Explainable(record).ShouldHaveSingleItem();
        var why = StepWhy.Explain(record, new RunDirectory(_dir.Path), cut.Id, null, null);

        cut.Id.ShouldBe("b");
        why.Reason.ShouldBe("it was running when its runner (pid 4321) went away, and nothing has run it since");
        why.Next.ShouldContain($"tend workflow resume {record.Run}");
    }

    [Fact]
    public void The_log_shown_is_the_last_attempt_with_its_pre_flight()
    {
        var log = _dir.Write("steps/s.log", """
            ==> attempt 1 at 2026-11-29T10:00:00Z: sh -c 'exit 1'
            first try
            ==> attempt 1 ended: exit code 1
            ==> attempt 2 pre-flight of db migrate at 2026-11-29T10:00:01Z: failed
                fail: db health: connection refused
            ==> attempt 2 not started: migrate up

            """);

        StepWhy.LastAttemptLog(log, 12).ShouldBe([
            "==> attempt 2 pre-flight of db migrate at 2026-11-29T10:00:01Z: failed",
            "    fail: db health: connection refused",
            "==> attempt 2 not started: migrate up",
        ]);
        StepWhy.LastAttemptLog(log, 1).ShouldBe(["==> attempt 2 not started: migrate up"]);
        StepWhy.LastAttemptLog(Path.Combine(_dir.Path, "none.log"), 12).ShouldBeEmpty();
    }

    private static StepRecord Step(string id, StepState state, string? reason) =>
        new(id, null, state, reason, state is StepState.Skipped or StepState.Omitted ? [] : [new AttemptRecord(1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, state == StepState.Failed ? 3 : 0, null, reason)], 0, 0, [], RunDirectory.LogName(id));

    private static RunRecord Record(params StepRecord[] steps) =>
        new("flow", "tend.toml", "/tmp", "20261129-100000-abcd", new Dictionary<string, string>(), RunOutcome.Failed, "step failed", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 0, 0, steps);
}
