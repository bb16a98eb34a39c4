using System.Globalization;
using Tend.Core.Events;
using Tend.Core.Processes;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Tests.Control;
using Tend.Daemon.Tests.Support;

namespace Tend.Daemon.Tests.Workflows;

/// <summary>Workflow runs hosted by the daemon: started over the control socket, their events in the daemon's log, stopped by id or by the daemon going down, with the reason recorded.</summary>
public sealed class WorkflowRunsSpecs
{
    private const string Flow = WorkflowStacks.BlockingFlow + """
        [workflows.quick]
        inputs = { level = "lenient" }
        [[workflows.quick.steps]]
        id = "only"
        run = ["sh", "-c", "echo {level} >> said"]
        """;

    [Fact(Timeout = 60_000)]
    public async Task A_run_asked_over_the_socket_runs_in_the_daemon_and_its_events_are_the_daemons()
    {
        await using var fixture = new ControlFixture(Flow);
        var client = await fixture.ServeAndConnectAsync();

        var reply = await client.CallAsync(new RunWorkflowRequest("quick", new Dictionary<string, string> { ["level"] = "strict" }, null, null, fixture.StackPath), TestContext.Current.CancellationToken);

        var started = reply.WorkflowRun.ShouldNotBeNull(reply.Error?.ToString());
        started.Outcome.ShouldBe("running");
        started.Pid.ShouldBe(Environment.ProcessId);
        File.Exists(Path.Combine(started.Directory, "run.json")).ShouldBeTrue("the answer names a run that tend workflow show finds");
        var record = (await fixture.Control.Workflows.Completion(started.Run).ShouldNotBeNull()).ShouldNotBeNull();
        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        record.RunnerPid.ShouldBe(Environment.ProcessId, "the daemon is the runner");
        record.Inputs["level"].ShouldBe("strict", "the client's input is over the workflow's default");
        File.ReadAllText(Path.Combine(fixture.Directory.Path, "said")).ShouldBe("strict\n");
        EventsOf(fixture, started.Run).ShouldBe(["workflow_started", "step_started", "step_succeeded", "workflow_finished"]);
        fixture.Control.Workflows.Running.ShouldBeEmpty();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stopped_run_kills_its_running_step_group_omits_the_rest_and_records_who_stopped_it()
    {
        await using var fixture = new ControlFixture(Flow);
        var client = await fixture.ServeAndConnectAsync();
        var run = (await client.CallAsync(new RunWorkflowRequest("flow", new Dictionary<string, string>(), null, null, null), TestContext.Current.CancellationToken)).WorkflowRun.ShouldNotBeNull();
        var sleeper = await SleeperAsync(fixture);

        var reply = await client.CallAsync(new StopWorkflowRequest(run.Run[..12]), TestContext.Current.CancellationToken);

        var stopped = reply.WorkflowRun.ShouldNotBeNull(reply.Error?.ToString());
        stopped.Outcome.ShouldBe("stopped");
        stopped.Reason.ShouldBe("stopped: tend workflow stop");
        Signals.GroupExists(sleeper).ShouldBeFalse("the step's whole group is gone when the answer comes");
        var record = RunStore.Read(new RunDirectory(run.Directory)).ShouldNotBeNull();
        record.Outcome.ShouldBe(RunOutcome.Stopped);
        record.Steps.Select(s => s.State).ShouldBe([StepState.Succeeded, StepState.Failed, StepState.Omitted]);
        fixture.Control.Workflows.Running.ShouldBeEmpty();

        var again = await client.CallAsync(new StopWorkflowRequest(run.Run), TestContext.Current.CancellationToken);
        again.WorkflowRun.ShouldNotBeNull("a stop of a run that ended says how it ended").Outcome.ShouldBe("stopped");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_daemon_going_down_stops_its_runs_with_its_reason_and_starts_no_more()
    {
        await using var fixture = new ControlFixture(Flow);
        var run = (await fixture.Control.RunWorkflowAsync("flow", new Dictionary<string, string>(), null, null, null, TestContext.Current.CancellationToken)).Value.ShouldNotBeNull();
        var sleeper = await SleeperAsync(fixture);

        await fixture.Control.StopWorkflowsAsync("SIGTERM");

        Signals.GroupExists(sleeper).ShouldBeFalse();
        var record = RunStore.Read(new RunDirectory(run.Directory)).ShouldNotBeNull();
        record.Outcome.ShouldBe(RunOutcome.Stopped);
        record.Reason.ShouldBe("stopped: the daemon stopped (SIGTERM)");
        var refused = await fixture.Control.RunWorkflowAsync("quick", new Dictionary<string, string>(), null, null, null, TestContext.Current.CancellationToken);
        refused.Error.ShouldNotBeNull().Code.ShouldBe("not_running");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stopped_run_resumes_in_the_daemon_without_running_again_what_succeeded()
    {
        await using var fixture = new ControlFixture(Flow);
        var run = (await fixture.Control.RunWorkflowAsync("flow", new Dictionary<string, string>(), null, null, null, TestContext.Current.CancellationToken)).Value.ShouldNotBeNull();
        await SleeperAsync(fixture);
        var busy = await fixture.Control.RunWorkflowAsync(null, new Dictionary<string, string>(), null, run.Run, null, TestContext.Current.CancellationToken);
        busy.Error.ShouldNotBeNull("a run going on is not resumed twice").Message.ShouldContain("still running in the daemon");
        await fixture.Control.StopWorkflowAsync(run.Run, TestContext.Current.CancellationToken);
        // Now b finishes at once.
        File.WriteAllText(Path.Combine(fixture.Directory.Path, "go"), "");

        var resumed = await fixture.Control.RunWorkflowAsync(null, new Dictionary<string, string>(), null, run.Run, fixture.StackPath, TestContext.Current.CancellationToken);

        resumed.Value.ShouldNotBeNull(resumed.Error?.ToString()).Run.ShouldBe(run.Run);
        var record = (await fixture.Control.Workflows.Completion(run.Run).ShouldNotBeNull()).ShouldNotBeNull();
        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        File.ReadAllLines(Path.Combine(fixture.Directory.Path, "starts")).ShouldBe(["a", "b", "b", "c"], "a succeeded before the stop and was not run again");
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_requests_are_refused_with_what_to_do()
    {
        await using var fixture = new ControlFixture(Flow);
        var client = await fixture.ServeAndConnectAsync();
        var empty = new Dictionary<string, string>();

        (await client.CallAsync(new RunWorkflowRequest("flow.yaml", empty, null, null, null), TestContext.Current.CancellationToken)).Error.ShouldNotBeNull().Code.ShouldBe("invalid_argument", "a relative path names another file in the daemon");
        (await client.CallAsync(new RunWorkflowRequest(null, empty, null, null, null), TestContext.Current.CancellationToken)).Error.ShouldNotBeNull().Code.ShouldBe("invalid_argument");
        var unknown = (await client.CallAsync(new RunWorkflowRequest("flwo", empty, null, null, null), TestContext.Current.CancellationToken)).Error.ShouldNotBeNull();
        unknown.Code.ShouldBe("workflow_invalid");
        unknown.Hint.ShouldBe("tend workflow verify flwo lists every problem");
        (await client.CallAsync(new StopWorkflowRequest("nope"), TestContext.Current.CancellationToken)).Error.ShouldNotBeNull().Code.ShouldBe("not_found");
    }

    /// <summary>The kinds of the run's events in the daemon's event log, oldest first.</summary>
    private static List<string> EventsOf(ControlFixture fixture, string run) =>
        [.. new EventReader(fixture.Paths.Events, TimeProvider.System).Last(1000, new EventFilter(), null).Where(e => e.GetText("run") == run).Select(e => e.Kind)];

    /// <summary>Waits for step b's process and returns its PID (the leader of its group).</summary>
    private static async Task<int> SleeperAsync(ControlFixture fixture)
    {
        var pidFile = Path.Combine(fixture.Directory.Path, "b.pid");
        await ControlFixture.PollAsync(() => File.Exists(pidFile), "step b started");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Signals.GroupExists(pid).ShouldBeTrue();
        return pid;
    }
}
