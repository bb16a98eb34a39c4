using Shouldly;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Cli.Tests.Workflows;

/// <summary>
/// The record verbs against a run left on disk (`tend workflow run` end to end waits for the
/// workflow readers): ls, show by prefix, logs, and approve refused where nothing waits.
/// </summary>
public sealed class WorkflowRecordSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly RunDirectory _run;

    public WorkflowRecordSpecs()
    {
        _directory.Write("tend.toml", "[components.app]\nkind = \"job\"\ncommand = [\"true\"]\n");
        var store = new RunStore(Path.Combine(_directory.Path, ".tend"));
        _run = store.Create("triage", TimeProvider.System.GetUtcNow());
        var now = TimeProvider.System.GetUtcNow();
        RunStore.Write(_run, new RunRecord("triage", Path.Combine(_directory.Path, "tend.toml"), _directory.Path, _run.Id, new Dictionary<string, string>(), RunOutcome.Failed, "step lint failed: exit 3", now, now.AddSeconds(2), 1, 1200, 0,
        [
            new StepRecord("lint", null, StepState.Failed, "exit 3", [new AttemptRecord(1, now, now.AddSeconds(1), 99, 3, null, "exit 3")], 1200, 0, [], RunDirectory.LogName("lint")),
            new StepRecord("fix", null, StepState.Omitted, "needs lint to succeed (lint failed)", [], 0, 0, [], RunDirectory.LogName("fix")),
        ]));
        File.WriteAllText(_run.LogFile("lint"), "==> attempt 1\nE501 line too long\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_list_runs_and_show_one_by_a_prefix_of_its_id()
    {
        var ls = await TendBinary.RunAsync(_directory.Path, "workflow", "ls");
        ls.ExitCode.ShouldBe(0, ls.ToString());
        ls.Stdout.ShouldContain(_run.Id);

        var show = await TendBinary.RunAsync(_directory.Path, "workflow", "show", _run.Id[..17]);
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Stdout.ShouldContain("needs lint to succeed (lint failed)");
        show.Stdout.ShouldContain($"tend workflow resume {_run.Id}");

        var json = await TendBinary.RunAsync(_directory.Path, "workflow", "show", _run.Id, "--json");
        json.Json.GetProperty("steps")[0].GetProperty("state").GetString().ShouldBe("failed");
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_read_a_steps_log_and_a_wrong_step_gets_a_hint()
    {
        var logs = await TendBinary.RunAsync(_directory.Path, "workflow", "logs", _run.Id, "lint");
        logs.ExitCode.ShouldBe(0, logs.ToString());
        logs.Stdout.ShouldContain("E501 line too long");

        var wrong = await TendBinary.RunAsync(_directory.Path, "workflow", "logs", _run.Id, "lnt");
        wrong.ExitCode.ShouldBe(2, wrong.ToString());
        wrong.Stderr.ShouldContain("lint");
    }

    [Fact(Timeout = 60_000)]
    public async Task Approving_a_step_that_is_not_paused_is_refused_with_what_to_do()
    {
        var approve = await TendBinary.RunAsync(_directory.Path, "workflow", "approve", _run.Id, "lint");

        approve.ExitCode.ShouldBe(2, approve.ToString());
        approve.Stderr.ShouldContain("not paused for review");
        File.Exists(_run.ReviewFile("lint")).ShouldBeFalse();
    }

    public void Dispose() => _directory.Dispose();
}
