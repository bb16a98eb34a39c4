using Shouldly;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>Whatever goes wrong inside a step's execution, the step ends failed with the reason: a run never hangs on a step that cannot report.</summary>
public sealed class StepFaultSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_schema_with_a_keyword_of_the_wrong_kind_fails_its_step_instead_of_hanging_the_run()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "s.json"), """{ "type": "object", "properties": { "name": { "type": "string", "minLength": "x" } } }""");
        var workflow = Flow.Of(dir, Flow.Sh("emit", """echo '{"name":"a"}' > out.json""") with { Emits = [new ArtifactSpec("out.json", "s.json")] }, Flow.Sh("next", "true", "emit"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.State("emit").ShouldBe(StepState.Failed);
        record.Find("emit")!.Reason!.ShouldContain("minLength: must be a whole number");
        record.State("next").ShouldBe(StepState.Omitted);
        record.Outcome.ShouldBe(RunOutcome.Failed);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_whose_execution_throws_fails_with_the_reason_and_the_run_ends()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "true"), Flow.Sh("b", "true", "a"));
        var store = new RunStore(Path.Combine(dir.Path, ".tend"));
        var request = new WorkflowRunRequest(workflow, null, new Dictionary<string, string>(), store.Create(workflow.Name, TimeProvider.System.GetUtcNow()));

        var record = await new WorkflowRunner(new ThrowingLauncher(), TimeProvider.System).RunAsync(request, TestContext.Current.CancellationToken);

        record.State("a").ShouldBe(StepState.Failed);
        record.Find("a")!.Reason.ShouldBe("tend could not run it: InvalidOperationException: a bug in the launcher");
        record.Find("a")!.Attempts[^1].Ended.ShouldNotBeNull("the attempt is over, not left running");
        record.State("b").ShouldBe(StepState.Omitted);
        record.Outcome.ShouldBe(RunOutcome.Failed);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stop_that_a_step_answers_by_throwing_ends_the_run_stopped()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "true"));
        var store = new RunStore(Path.Combine(dir.Path, ".tend"));
        var request = new WorkflowRunRequest(workflow, null, new Dictionary<string, string>(), store.Create(workflow.Name, TimeProvider.System.GetUtcNow())) { StopReason = () => "stopped: tend workflow stop" };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var launcher = new WaitingLauncher();
        var running = new WorkflowRunner(launcher, TimeProvider.System).RunAsync(request, stop.Token);
        await launcher.Entered.Task.WaitAsync(TestContext.Current.CancellationToken);

        await stop.CancelAsync();
        var record = await running;

        record.Outcome.ShouldBe(RunOutcome.Stopped);
        record.Reason.ShouldBe("stopped: tend workflow stop");
        record.State("a").ShouldBe(StepState.Failed);
        record.Find("a")!.Reason!.ShouldContain("the run stopped before its command started");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_fault_of_the_runner_ends_the_run_failed_with_the_reason_and_workflow_finished()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("a", "true"), Flow.Sh("b", "true", "a"));
        var store = new RunStore(Path.Combine(dir.Path, ".tend"));
        var directory = store.Create(workflow.Name, TimeProvider.System.GetUtcNow());
        var events = new Recorded();
        var request = new WorkflowRunRequest(workflow, null, new Dictionary<string, string>(), directory)
        {
            Events = events,
            Progress = t => _ = t.State == StepState.Succeeded ? throw new InvalidOperationException("a face that throws") : 0,
        };

        var record = await new WorkflowRunner(new ProcessStepLauncher(TimeProvider.System), TimeProvider.System).RunAsync(request, TestContext.Current.CancellationToken);

        record.Outcome.ShouldBe(RunOutcome.Failed);
        record.Reason.ShouldBe("tend failed while running it: InvalidOperationException: a face that throws");
        RunStore.Read(directory)!.Outcome.ShouldBe(RunOutcome.Failed, "run.json no longer reads running");
        RunStore.Read(directory)!.Find("b")!.State.ShouldBe(StepState.Omitted);
        events.Kinds.ShouldContain(EventKinds.Workflows.WorkflowFinished);
    }

    private sealed class Recorded : IEventSink
    {
        public List<EventKind> Kinds { get; } = [];

        public void Emit(EventKind kind, string? component, params EventField[] fields)
        {
            lock (Kinds)
            {
                Kinds.Add(kind);
            }
        }
    }

    private sealed class ThrowingLauncher : IStepLauncher
    {
        public Task<AttemptExit> RunAsync(StepLaunch launch, IStepOutput output, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a bug in the launcher");
    }

    /// <summary>Like a pre-flight check: waits, and answers the stop by throwing its cancellation.</summary>
    private sealed class WaitingLauncher : IStepLauncher
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<AttemptExit> RunAsync(StepLaunch launch, IStepOutput output, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            return new AttemptExit(null, 0, null, null, null);
        }
    }
}
