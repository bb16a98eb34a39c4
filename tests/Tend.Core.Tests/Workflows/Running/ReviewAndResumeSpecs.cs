using Shouldly;
using Tend.Core.Tests.Support;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>pause_for_review with approve and reject from outside, and resumption.</summary>
public sealed class ReviewAndResumeSpecs
{
    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_paused_step_waits_for_a_decision_written_by_another_process(bool approve)
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("review", "exit 1") with { OnFail = OnFail.PauseForReview }, Flow.Sh("ship", "touch shipped", "review"));
        RunDirectory? runDir = null;
        var store = new RunStore(Path.Combine(dir.Path, ".tend"));
        runDir = store.Create(workflow.Name, TimeProvider.System.GetUtcNow());

        var (record, _, _) = await Flow.RunAsync(dir, workflow, directory: runDir, onTransition: t =>
        {
            if (t.State == StepState.Paused)
            {
                // As `tend workflow approve` does, from any process: a file in the run's directory.
                RunStore.WriteDecision(runDir, new ReviewDecision("review", approve, approve ? null : "looks wrong", TimeProvider.System.GetUtcNow()));
            }
        });

        if (approve)
        {
            record.State("review").ShouldBe(StepState.Succeeded);
            record.State("ship").ShouldBe(StepState.Succeeded);
            record.Outcome.ShouldBe(RunOutcome.Succeeded);
        }
        else
        {
            record.State("review").ShouldBe(StepState.Failed);
            record.Find("review")!.Reason.ShouldBe("rejected: looks wrong");
            record.State("ship").ShouldBe(StepState.Omitted);
            record.Outcome.ShouldBe(RunOutcome.Failed);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Resume_reruns_only_what_did_not_succeed()
    {
        using var dir = new TempDirectory();
        dir.Write("gate", "closed");
        var workflow = Flow.Of(dir,
            Flow.Sh("a", "echo a >> counter"),
            Flow.Sh("b", "echo b >> counter; [ \"$(cat gate)\" = open ]", "a"),
            Flow.Sh("c", "echo c >> counter", "b"));
        var (first, runDir, _) = await Flow.RunAsync(dir, workflow);
        first.Outcome.ShouldBe(RunOutcome.Failed);
        dir.Write("gate", "open");

        var (second, _, _) = await Flow.RunAsync(dir, workflow, resume: RunStore.Read(runDir), directory: runDir);

        second.Outcome.ShouldBe(RunOutcome.Succeeded);
        File.ReadAllLines(Path.Combine(dir.Path, "counter")).ShouldBe(["a", "b", "b", "c"]);
        second.Find("b")!.Attempts.Count.ShouldBe(2, "its first run's attempt is kept in the record");
    }

    [Fact(Timeout = 60_000)]
    public async Task Resume_of_a_run_whose_runner_died_reruns_the_step_it_was_running_and_keeps_the_succeeded_one()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "echo a >> counter"), Flow.Sh("b", "echo b >> counter", "a"), Flow.Sh("c", "echo c >> counter", "b"));
        var store = new RunStore(Path.Combine(dir.Path, ".tend"));
        var runDir = store.Create(workflow.Name, TimeProvider.System.GetUtcNow());
        using (var gone = System.Diagnostics.Process.Start("true")!)
        {
            await gone.WaitForExitAsync(TestContext.Current.CancellationToken);

            // What a runner SIGKILLed while b ran leaves: a succeeded, b running, c pending.
            var now = TimeProvider.System.GetUtcNow();
            RunStore.Write(runDir, new RunRecord("flow", workflow.Source, dir.Path, runDir.Id, new Dictionary<string, string>(), RunOutcome.Running, null, now, null, gone.Id, 0, 0,
            [
                new StepRecord("a", null, StepState.Succeeded, null, [new AttemptRecord(1, now, now, 1234, 0, null, null)], 0, 0, [], RunDirectory.LogName("a")),
                new StepRecord("b", null, StepState.Running, null, [new AttemptRecord(1, now, null, 1235, null, null, null)], 0, 0, [], RunDirectory.LogName("b")),
                new StepRecord("c", null, StepState.Pending, null, [], 0, 0, [], RunDirectory.LogName("c")),
            ]));
        }

        var interrupted = RunStore.Read(runDir)!;
        interrupted.Outcome.ShouldBe(RunOutcome.Interrupted);

        var (resumed, _, _) = await Flow.RunAsync(dir, workflow, resume: interrupted, directory: runDir);

        resumed.Outcome.ShouldBe(RunOutcome.Succeeded);
        File.ReadAllLines(Path.Combine(dir.Path, "counter")).ShouldBe(["b", "c"], "a succeeded before the crash and is not run again");
        resumed.Find("b")!.Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public void A_record_left_running_by_a_runner_that_is_gone_reads_as_interrupted()
    {
        using var dir = new TempDirectory();
        var store = new RunStore(dir.Path);
        var runDir = store.Create("flow", TimeProvider.System.GetUtcNow());
        RunStore.Write(runDir, new RunRecord("flow", "x", dir.Path, runDir.Id, new Dictionary<string, string>(), RunOutcome.Running, null, TimeProvider.System.GetUtcNow(), null, int.MaxValue - 1, 0, 0, []));

        RunStore.Read(runDir)!.Outcome.ShouldBe(RunOutcome.Interrupted);
        store.Find(runDir.Id[..10]).Found.ShouldBe(runDir);
    }
}
