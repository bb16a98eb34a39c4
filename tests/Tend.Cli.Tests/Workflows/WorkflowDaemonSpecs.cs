using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests.Workflows;

/// <summary>`tend workflow run` through the stack's daemon, end to end: followed live, detached, stopped, and resumed after the daemon was SIGKILLed.</summary>
public sealed class WorkflowDaemonSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private readonly List<int> _strays = [];

    public WorkflowDaemonSpecs()
    {
        _daemon = new DaemonState(_directory.Path);
        // The flow's b blocks until the file `go` exists.
        _directory.Write("tend.toml", $$"""
            [components.keep]
            command = {{Dummy.TomlArgv("sleep", "600000")}}

            {{WorkflowStacks.BlockingFlow}}
            [workflows.quick]
            [[workflows.quick.steps]]
            id = "only"
            run = ["sh", "-c", "echo hello"]
            """);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in _strays.Where(DaemonState.IsAlive))
        {
            Signals.SendToGroup(pid, Signals.SIGKILL);
            Signals.Send(pid, Signals.SIGKILL);
        }

        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task A_run_goes_through_the_daemon_when_one_is_up_and_its_events_are_in_tend_events()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        var daemonPid = _daemon.ReadDaemonPid().ShouldNotBeNull();

        var run = await Tend("workflow", "run", "quick");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain($"in the daemon, pid {daemonPid}");
        run.Stdout.ShouldContain("▶ only started");
        run.Stdout.ShouldContain("✓ only succeeded");
        var record = Latest();
        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        record.RunnerPid.ShouldBe(daemonPid, "the daemon ran it");
        run.Stdout.ShouldContain($"tend workflow show {record.Run}");
        var events = await Tend("events", "--kind", "workflow_finished");
        events.ExitCode.ShouldBe(0, events.ToString());
        events.Stdout.ShouldContain(record.Run);

        var foreground = await Tend("workflow", "run", "quick", "--foreground");
        foreground.ExitCode.ShouldBe(0, foreground.ToString());
        foreground.Stdout.ShouldNotContain("in the daemon");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_detached_run_goes_on_in_the_background_and_show_follows_it_to_its_end()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);

        var detached = await Tend("workflow", "run", "flow", "--detach");

        detached.ExitCode.ShouldBe(0, detached.ToString());
        var id = Latest().Run;
        detached.Stdout.ShouldContain($"tend workflow show {id}");
        detached.Stdout.ShouldContain($"tend workflow stop {id}");
        detached.Stdout.ShouldContain("tend events -f");
        await SleeperAsync();
        (await Tend("workflow", "show", id)).Stdout.ShouldContain("running");

        File.WriteAllText(Path.Combine(_directory.Path, "go"), "");
        Signals.SendToGroup(await SleeperAsync(), Signals.SIGKILL);
        await DaemonState.WaitUntilAsync(() => Latest().Outcome != RunOutcome.Running);

        Latest().Outcome.ShouldBe(RunOutcome.Failed, "b was killed: a step killed from outside fails");
        var resume = await Tend("workflow", "resume", id);
        resume.ExitCode.ShouldBe(0, resume.ToString());
        resume.Stdout.ShouldContain("Resuming workflow flow");
        (await Tend("workflow", "show", id)).Stdout.ShouldContain("succeeded");
        Starts().ShouldBe(["a", "b", "b", "c"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Workflow_stop_ends_a_daemon_run_and_says_whose_a_foreground_run_is()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        (await Tend("workflow", "run", "flow", "--detach")).ExitCode.ShouldBe(0);
        var id = Latest().Run;
        var sleeper = await SleeperAsync();
        var early = await Tend("workflow", "resume", id);
        early.ExitCode.ShouldBe(2, early.ToString());
        early.Stderr.ShouldContain($"still running in the daemon (pid {_daemon.ReadDaemonPid()})");
        early.Stderr.ShouldContain($"tend workflow stop {id}");

        var stop = await Tend("workflow", "stop", id);

        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("stopped: tend workflow stop");
        stop.Stdout.ShouldContain($"tend workflow resume {id}");
        Signals.GroupExists(sleeper).ShouldBeFalse("the step's group is gone when stop returns");
        Latest().Outcome.ShouldBe(RunOutcome.Stopped);
        (await Tend("workflow", "stop", id)).Stdout.ShouldContain("stopped already");

        File.Delete(Path.Combine(_directory.Path, "b.pid"));
        using var foreground = TendBinary.Start(_directory.Path, null, "workflow", "run", "flow", "--foreground");
        _strays.Add(foreground.Id);
        _strays.Add(await SleeperAsync());
        var theirs = new RunStore(_daemon.Directory).List().Select(RunStore.Read).First(r => r?.RunnerPid == foreground.Id)!.Run;
        var refused = await Tend("workflow", "stop", theirs);
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain($"belongs to pid {foreground.Id}");
        refused.Stderr.ShouldContain($"kill {foreground.Id}");
        var notYet = await Tend("workflow", "resume", theirs);
        notYet.ExitCode.ShouldBe(2, notYet.ToString());
        notYet.Stderr.ShouldContain($"still running in the foreground (pid {foreground.Id})");
    }

    [Fact(Timeout = 120_000)]
    public async Task Workflow_stop_reaches_the_daemon_while_the_stack_file_does_not_parse()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        (await Tend("workflow", "run", "flow", "--detach")).ExitCode.ShouldBe(0);
        var id = Latest().Run;
        var sleeper = await SleeperAsync();
        File.AppendAllText(Path.Combine(_directory.Path, "tend.toml"), "\n[broken\n");
        var resume = await Tend("workflow", "resume", id);
        resume.ExitCode.ShouldBe(2, resume.ToString());
        resume.Stderr.ShouldContain($"still running in the daemon (pid {_daemon.ReadDaemonPid()})", Case.Sensitive, resume.ToString());
        resume.Stderr.ShouldNotContain("kill ");

        var stop = await Tend("workflow", "stop", id);

        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stderr.ShouldContain("tend.toml does not load", Case.Sensitive, stop.ToString());
        stop.Stderr.ShouldNotContain("kill ");
        Signals.GroupExists(sleeper).ShouldBeFalse("the daemon's run was stopped, not mistaken for a foreground one");
        Latest().Outcome.ShouldBe(RunOutcome.Stopped);
    }

    [Fact(Timeout = 120_000)]
    public async Task Ctrl_C_while_following_stops_the_following_not_the_run()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        using var following = TendBinary.Start(_directory.Path, null, "workflow", "run", "flow");
        _strays.Add(following.Id);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            while (await following.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lines.Enqueue(line);
            }
        }, TestContext.Current.CancellationToken);
        await DaemonState.WaitUntilAsync(() => lines.Any(l => l.Contains("b started", StringComparison.Ordinal)));

        Signals.Send(following.Id, Signals.SIGINT).ShouldBeTrue();
        await following.WaitForExitAsync(TestContext.Current.CancellationToken);
        await reading;

        following.ExitCode.ShouldBe(130);
        var id = Latest().Run;
        var said = string.Join('\n', lines);
        said.ShouldContain("▶ a started");
        said.ShouldContain($"run {id} goes on in the daemon");
        said.ShouldContain($"tend workflow stop {id}");
        Latest().Outcome.ShouldBe(RunOutcome.Running);
        (await Tend("workflow", "stop", id)).ExitCode.ShouldBe(0);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_daemon_SIGKILLed_in_the_middle_of_a_run_leaves_it_interrupted_and_resume_completes_it_without_rerunning_what_succeeded()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        (await Tend("workflow", "run", "flow", "--detach")).ExitCode.ShouldBe(0);
        var id = Latest().Run;
        var sleeper = await SleeperAsync();
        var daemonPid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        _strays.Add(daemonPid);
        _strays.Add(sleeper);

        Signals.Send(daemonPid, Signals.SIGKILL).ShouldBeTrue();
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(daemonPid));
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(sleeper));

        Latest().Outcome.ShouldBe(RunOutcome.Interrupted, "its runner, the daemon, is gone; so is its step (it dies with its parent)");
        (await Tend("workflow", "show", id)).Stdout.ShouldContain($"tend workflow resume {id}");
        (await Tend("up")).ExitCode.ShouldBe(0);
        File.WriteAllText(Path.Combine(_directory.Path, "go"), "");

        var resume = await Tend("workflow", "resume", id);

        resume.ExitCode.ShouldBe(0, resume.ToString());
        resume.Stdout.ShouldContain($"in the daemon, pid {_daemon.ReadDaemonPid()}");
        Latest().Outcome.ShouldBe(RunOutcome.Succeeded);
        Starts().ShouldBe(["a", "b", "b", "c"], "a succeeded before the kill and is not run again");
    }

    [Fact(Timeout = 60_000)]
    public async Task Detach_without_a_daemon_is_refused_with_the_way_out()
    {
        var detached = await Tend("workflow", "run", "quick", "--detach");

        detached.ExitCode.ShouldBe(2, detached.ToString());
        detached.Stderr.ShouldContain("no daemon runs");
        detached.Stderr.ShouldContain("tend up");
        detached.Stderr.ShouldContain("drop --detach");
        new RunStore(_daemon.Directory).List().ShouldBeEmpty("nothing was run");

        var foreground = await Tend("workflow", "run", "quick");
        foreground.ExitCode.ShouldBe(0, "without a daemon a run is in the foreground");
        foreground.Stdout.ShouldNotContain("in the daemon");
    }

    [Fact(Timeout = 120_000)]
    public async Task With_json_run_detach_stop_and_resume_print_only_JSON_a_script_can_read_the_run_id_from()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        var daemonPid = _daemon.ReadDaemonPid().ShouldNotBeNull();

        var quick = await Tend("workflow", "run", "quick", "--json");
        quick.ExitCode.ShouldBe(0, quick.ToString());
        var followed = Record(quick.Stdout);
        followed.Outcome.ShouldBe(RunOutcome.Succeeded);
        followed.RunnerPid.ShouldBe(daemonPid);
        followed.Run.ShouldBe(Latest().Run);

        var detached = await Tend("workflow", "run", "flow", "--detach", "--json");
        detached.ExitCode.ShouldBe(0, detached.ToString());
        using var started = System.Text.Json.JsonDocument.Parse(detached.Stdout);
        var id = started.RootElement.GetProperty("run").GetString().ShouldNotBeNull();
        id.ShouldBe(Latest().Run);
        started.RootElement.GetProperty("outcome").GetString().ShouldBe("running");
        started.RootElement.GetProperty("pid").GetInt32().ShouldBe(daemonPid);
        File.Exists(Path.Combine(started.RootElement.GetProperty("directory").GetString()!, "run.json")).ShouldBeTrue();
        await SleeperAsync();

        var stop = await Tend("workflow", "stop", id, "--json");
        stop.ExitCode.ShouldBe(0, stop.ToString());
        var stopped = Record(stop.Stdout);
        stopped.Outcome.ShouldBe(RunOutcome.Stopped);
        stopped.Reason.ShouldBe("stopped: tend workflow stop");
        Record((await Tend("workflow", "stop", id, "--json")).Stdout).Outcome.ShouldBe(RunOutcome.Stopped, "stopping it again prints it as it is");

        File.WriteAllText(Path.Combine(_directory.Path, "go"), "");
        var resume = await Tend("workflow", "resume", id, "--json");
        resume.ExitCode.ShouldBe(0, resume.ToString());
        var resumed = Record(resume.Stdout);
        resumed.Outcome.ShouldBe(RunOutcome.Succeeded);
        resumed.Passes!.Select(p => p.Outcome).ShouldBe([RunOutcome.Stopped, RunOutcome.Succeeded]);
        Record((await Tend("workflow", "resume", id, "--json")).Stdout).Run.ShouldBe(id, "a succeeded run has nothing to resume: it is printed as it is");
        var show = await Tend("workflow", "show", id);
        show.Stdout.ShouldContain("passes: stopped at ");
        show.Stdout.ShouldContain("(stopped: tend workflow stop); succeeded at ");
    }

    [Fact(Timeout = 60_000)]
    public async Task With_json_a_foreground_run_prints_its_record_and_a_dry_run_its_plan()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        var run = await Tend("workflow", "run", "quick", "--foreground", "--json");
        run.ExitCode.ShouldBe(0, run.ToString());
        Record(run.Stdout).Outcome.ShouldBe(RunOutcome.Succeeded);
        Record(run.Stdout).RunnerPid.ShouldNotBe(_daemon.ReadDaemonPid().ShouldNotBeNull(), "--foreground runs it in the command's process, not in the daemon that is up");

        var plan = await Tend("workflow", "run", "flow", "--dry-run", "--json");
        plan.ExitCode.ShouldBe(0, plan.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(plan.Stdout);
        json.RootElement.GetProperty("workflow").GetString().ShouldBe("flow");
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        steps.Select(s => s.GetProperty("id").GetString()).ShouldBe(["a", "b", "c"]);
        steps.Select(s => s.GetProperty("level").GetInt32()).ShouldBe([1, 2, 3]);
        steps[0].GetProperty("omitted_without").EnumerateArray().Select(e => e.GetString()).ShouldBe(["b", "c"]);
        steps[1].GetProperty("depends_on")[0].GetProperty("step").GetString().ShouldBe("a");
        new RunStore(_daemon.Directory).List().Count.ShouldBe(1, "the dry run ran nothing");
    }

    private static RunRecord Record(string stdout) =>
        System.Text.Json.JsonSerializer.Deserialize(stdout, RunRecordJson.Default.RunRecord).ShouldNotBeNull();

    private RunRecord Latest() => RunStore.Read(new RunStore(_daemon.Directory).List()[0]).ShouldNotBeNull();

    private string[] Starts() => File.ReadAllLines(Path.Combine(_directory.Path, "starts"));

    /// <summary>Waits for step b's process and returns its PID (the leader of its group).</summary>
    private async Task<int> SleeperAsync()
    {
        var pidFile = Path.Combine(_directory.Path, "b.pid");
        await DaemonState.WaitUntilAsync(() => File.Exists(pidFile));
        return int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
    }
}
