using System.Diagnostics;
using Shouldly;
using Tend.Core.Tests.Support;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>Steps start as soon as what they need has ended, in parallel, and a DAG takes about its critical path.</summary>
public sealed class SchedulingSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_diamond_of_sleeping_steps_finishes_in_about_its_critical_path()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir,
            Flow.Sh("a", "sleep 0.4"),
            Flow.Sh("b", "sleep 0.4", "a"),
            Flow.Sh("c", "sleep 0.4", "a"),
            Flow.Sh("d", "sleep 0.4", "b", "c"));

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        record.Steps.ShouldAllBe(s => s.State == StepState.Succeeded);
        // What a loaded machine cannot blur: b and c overlap, and each step starts as soon as what it
        // needs has ended (bench/workflow_dag.py prints the wall-time ratio to the critical path).
        record.Find("b")!.Started!.Value.ShouldBeLessThan(record.Find("c")!.Ended!.Value, "b and c overlap");
        record.Find("c")!.Started!.Value.ShouldBeLessThan(record.Find("b")!.Ended!.Value, "c and b overlap");
        (record.Find("b")!.Started!.Value - record.Find("a")!.Ended!.Value).ShouldBeLessThan(TimeSpan.FromMilliseconds(500), "b starts once a ended");
        var lastOfBoth = new[] { record.Find("b")!.Ended!.Value, record.Find("c")!.Ended!.Value }.Max();
        record.Find("d")!.Started!.Value.ShouldBeGreaterThanOrEqualTo(lastOfBoth, "d waits for both");
        (record.Find("d")!.Started!.Value - lastOfBoth).ShouldBeLessThan(TimeSpan.FromMilliseconds(500), "d starts once both ended");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wide_workflow_runs_its_middle_together_up_to_policy_parallel()
    {
        using var dir = new TempDirectory();
        var middle = Enumerable.Range(1, 10).Select(i => Flow.Sh($"m{i}", "sleep 0.5", "start")).ToArray();
        var workflow = Flow.Of(dir, [Flow.Sh("start", "true"), .. middle, Flow.Sh("end", "true", [.. middle.Select(m => m.Id)])]) with
        {
            Policy = WorkflowPolicy.Default with { Parallel = 10 },
        };

        var clock = Stopwatch.StartNew();
        var (record, _, _) = await Flow.RunAsync(dir, workflow);
        clock.Stop();

        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        var runs = middle.Select(m => record.Find(m.Id)!).ToList();
        runs.Max(r => r.Started!.Value).ShouldBeLessThan(runs.Min(r => r.Ended!.Value), "all ten run at one moment");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3), "ten half-second steps at once, not one after another (5 s)");
    }

    [Fact(Timeout = 60_000)]
    public async Task Parallel_one_runs_ready_steps_one_at_a_time_in_the_files_order()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir, Flow.Sh("x", "echo x >> order"), Flow.Sh("y", "echo y >> order"), Flow.Sh("z", "echo z >> order")) with
        {
            Policy = WorkflowPolicy.Default with { Parallel = 1 },
        };

        await Flow.RunAsync(dir, workflow);

        File.ReadAllLines(Path.Combine(dir.Path, "order")).ShouldBe(["x", "y", "z"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_gets_its_inputs_as_placeholders_and_INPUT_variables_and_the_tend_variables()
    {
        using var dir = new TempDirectory();
        dir.Write("src/a.py", "x");
        dir.Write("src/b.py", "x");
        dir.Write("src/c.txt", "x");
        var step = Flow.Sh("s", "") with
        {
            Run = new StepRun.Command(["sh", "-c", "echo \"$0 $* | $INPUT_LEVEL | $TEND_STEP $TEND_WORKFLOW\" > out", "{level}", "{files}"]),
            With = new Model.ValueDictionary([new("level", "strict"), new("files", "src/*.py")]),
        };

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step));

        record.Outcome.ShouldBe(RunOutcome.Succeeded);
        File.ReadAllText(Path.Combine(dir.Path, "out")).Trim().ShouldBe("strict src/a.py src/b.py | strict | s flow");
    }
}
