using System.Globalization;
using Shouldly;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Tests.Support;
using Xunit;

namespace Tend.Cli.Tests.Workflows;

/// <summary>`tend workflow run` end to end through the built binary: the bundled triage example in both formats, and a run killed in the middle that resumes.</summary>
public sealed class WorkflowRunSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<int> _strays = [];

    public void Dispose()
    {
        foreach (var pid in _strays.Where(DaemonState.IsAlive))
        {
            Signals.SendToGroup(pid, Signals.SIGKILL);
            Signals.Send(pid, Signals.SIGKILL);
        }

        _directory.Dispose();
    }

    [Theory(Timeout = 180_000)]
    [InlineData("triage")]
    [InlineData(".ai/workflows/triage.yaml")]
    public async Task The_triage_example_lints_type_checks_and_triages_with_its_tokens_counted(string workflow)
    {
        CopyExample();

        var run = await TendBinary.RunAsync(_directory.Path, "workflow", "run", workflow);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("succeeded");
        var record = Latest();
        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        record.Steps.Select(s => s.Id).ShouldBe(["1.001", "1.002", "2.001"]);
        record.Tokens.ShouldBeGreaterThan(0, "the stand-in AI step reports its tokens");
        File.ReadAllText(Path.Combine(_directory.Path, "artifacts", "linting.json")).ShouldStartWith("[", customMessage: "the lint artifact is a JSON list");
        File.Exists(Path.Combine(_directory.Path, "artifacts", "ai_analysis.json")).ShouldBeTrue("the flawed project has lint findings, so the AI step ran");
        var events = string.Concat(Directory.GetFiles(Path.Combine(_directory.Path, ".tend", "events"), "events-*.jsonl").Select(File.ReadAllText));
        events.ShouldContain("\"workflow_finished\"");
        run.Stdout.ShouldContain($"tend workflow show {record.Run}");
        (await TendBinary.RunAsync(_directory.Path, "workflow", "show", record.Run)).ExitCode.ShouldBe(0, "the next step printed works");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_triage_preset_lists_its_workflow_and_its_next_steps_work_as_printed()
    {
        var init = await TendBinary.RunAsync(_directory.Path, "init", "--preset", "triage");
        init.ExitCode.ShouldBe(0, init.ToString());
        init.Stdout.ShouldContain("Next: tend ls, then tend workflow run triage --dry-run");

        var ls = await TendBinary.RunAsync(_directory.Path, "ls");
        ls.ExitCode.ShouldBe(0, ls.ToString());
        ls.Stdout.ShouldContain("triage  workflow, 3 steps");
        var plan = await TendBinary.RunAsync(_directory.Path, "workflow", "run", "triage", "--dry-run");
        plan.ExitCode.ShouldBe(0, plan.ToString());
        plan.Stdout.ShouldContain("when has_errors('artifacts/linting.json')");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_run_killed_in_the_middle_resumes_without_running_again_what_succeeded()
    {
        var (runner, sleeper) = await StartFlowUntilBSleepsAsync();
        using var _ = runner;

        Signals.Send(runner.Id, Signals.SIGKILL).ShouldBeTrue();
        await runner.WaitForExitAsync(TestContext.Current.CancellationToken);

        // Nobody but the runner's reaper ends b's group: a runner SIGKILLed leaves no step behind.
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(sleeper));

        var killed = Latest();
        killed.Outcome.ShouldBe(RunOutcome.Interrupted, "its runner is gone");
        var show = await TendBinary.RunAsync(_directory.Path, "workflow", "show", killed.Run);
        show.Stdout.ShouldContain($"tend workflow resume {killed.Run}");

        File.WriteAllText(Path.Combine(_directory.Path, "go"), "");
        var resume = await TendBinary.RunAsync(_directory.Path, "workflow", "resume", killed.Run);

        resume.ExitCode.ShouldBe(0, resume.ToString());
        File.ReadAllLines(Path.Combine(_directory.Path, "starts")).ShouldBe(["a", "b", "b", "c"], "a succeeded before the kill and is not run again");
        Latest().Outcome.ShouldBe(RunOutcome.Succeeded);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(Signals.SIGTERM, "SIGTERM")]
    [InlineData(Signals.SIGHUP, "SIGHUP")]
    public async Task A_signal_to_a_foreground_run_stops_it_with_the_signals_name_and_ends_its_steps(int signal, string name)
    {
        var (runner, sleeper) = await StartFlowUntilBSleepsAsync();
        using var _ = runner;

        Signals.Send(runner.Id, signal).ShouldBeTrue();
        await runner.WaitForExitAsync(TestContext.Current.CancellationToken);

        runner.ExitCode.ShouldBe(1, "a stopped run is not a success");
        DaemonState.IsAlive(sleeper).ShouldBeFalse("the runner ended b's group before it exited");
        var stopped = Latest();
        stopped.Outcome.ShouldBe(RunOutcome.Stopped);
        stopped.Reason.ShouldBe($"stopped: {name}");
    }

    /// <summary>Runs the blocking flow in the foreground until its step b sleeps; the runner and b's PID (its group's leader), both cleaned up after the spec.</summary>
    private async Task<(System.Diagnostics.Process Runner, int Sleeper)> StartFlowUntilBSleepsAsync()
    {
        _directory.Write("tend.toml", WorkflowStacks.BlockingFlow);
        var runner = TendBinary.Start(_directory.Path, null, "workflow", "run", "flow");
        _strays.Add(runner.Id);
        var pidFile = Path.Combine(_directory.Path, "b.pid");
        await DaemonState.WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'));
        var sleeper = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        _strays.Add(sleeper);
        return (runner, sleeper);
    }

    private RunRecord Latest()
    {
        var store = new RunStore(Path.Combine(_directory.Path, ".tend"));
        var run = store.List().ShouldHaveSingleItem();
        return RunStore.Read(run).ShouldNotBeNull();
    }

    private void CopyExample()
    {
        var example = Path.Combine(RepoPaths.Root, "examples", "triage");
        foreach (var file in Directory.EnumerateFiles(example, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(example, file);
            if (relative.StartsWith(".tend", StringComparison.Ordinal) || relative.StartsWith("artifacts", StringComparison.Ordinal) || relative.Contains("__pycache__", StringComparison.Ordinal) || relative.Contains(".mypy_cache", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(_directory.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
