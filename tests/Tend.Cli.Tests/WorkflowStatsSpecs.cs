using Tend.Cli.Tests.Support;
using Tend.Core.Metrics;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;
using static Tend.Core.Tests.Workflows.Stats.RunRecords;

namespace Tend.Cli.Tests;

/// <summary>
/// <c>tend workflow stats</c> as a user meets it, on run directories the engine's own writer left
/// under .tend/workflows: a table of KPIs with verdicts, the JSON shape, a window, a workflow that
/// has not run; no daemon involved.
/// </summary>
public sealed class WorkflowStatsSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    /// <summary>The record moved so that noon is now: the binary reads the real clock.</summary>
    private void Keep(RunRecord record)
    {
        var shift = TimeProvider.System.GetUtcNow() - Noon;
        record = record with { Started = record.Started + shift, Ended = record.Ended + shift };
        var directory = new RunDirectory(Path.Combine(_directory.Path, ".tend", "workflows", record.Workflow, record.Run));
        Directory.CreateDirectory(directory.StepsDirectory);
        RunStore.Write(directory, record);
    }

    private void KeepTriage()
    {
        for (var i = 1; i <= 9; i++)
        {
            Keep(Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(i), TimeSpan.FromSeconds(30 + i), Step("lint", StepState.Succeeded, emits: 1), Step("review", StepState.Succeeded, tokens: 1000, emits: 1)));
        }

        Keep(Run("triage", RunOutcome.Failed, TimeSpan.FromDays(2), TimeSpan.FromMinutes(4), Step("lint", StepState.Succeeded, emits: 1), Step("review", StepState.Failed, tokens: 3000, emits: 1, ("artifacts/review.json: /0/line: expected integer", 1), ("artifacts/review.json: empty", 1))));
    }

    [Fact(Timeout = 60_000)]
    public async Task Stats_show_each_KPI_with_its_target_and_verdict_and_the_step_failing_most()
    {
        KeepTriage();

        var result = await Tend("workflow", "stats");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("triage over the last 7d: 10 runs: 9 succeeded, 1 failed, 0 stopped");
        result.Stdout.ShouldMatch(@"success rate\s*│\s*90 %\s*│\s*>= 98 %\s*│\s*not met");
        result.Stdout.ShouldMatch(@"completion p95\s*│\s*4m\S*\s*│\s*<= 2m\s*│\s*not met");
        result.Stdout.ShouldMatch(@"artifact success\s*│\s*90.5 %\s*│\s*>= 95 %\s*│\s*not met");
        result.Stdout.ShouldContain("review: failed in 1 run(s), 2 failed attempt(s)");
    }

    [Fact(Timeout = 60_000)]
    public async Task Since_narrows_the_window_and_the_targets_are_met_in_the_last_day()
    {
        KeepTriage();

        var result = await Tend("workflow", "stats", "triage", "--since", "24h");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("triage over the last 24h: 9 runs: 9 succeeded");
        result.Stdout.ShouldMatch(@"success rate\s*│\s*100 %\s*│\s*>= 98 %\s*│\s*met");
        result.Stdout.ShouldNotContain("not met");
    }

    [Fact(Timeout = 60_000)]
    public async Task Json_has_a_schema_version_the_window_and_each_KPI_with_its_verdict()
    {
        KeepTriage();

        var result = await Tend("workflow", "stats", "--json");

        result.ExitCode.ShouldBe(0, result.ToString());
        var json = result.Json;
        json.GetProperty("schema").GetInt32().ShouldBe(1);
        json.GetProperty("window_seconds").GetDouble().ShouldBe(7 * 24 * 3600);
        var triage = json.GetProperty("workflows")[0];
        triage.GetProperty("workflow").GetString().ShouldBe("triage");
        triage.GetProperty("runs").GetInt32().ShouldBe(10);
        triage.GetProperty("success_percent").GetDouble().ShouldBe(90);
        triage.GetProperty("duration_p95_seconds").GetDouble().ShouldBe(240);
        triage.GetProperty("tokens").GetInt64().ShouldBe(12000);
        triage.GetProperty("retries").GetInt32().ShouldBe(1);
        triage.GetProperty("failing_steps")[0].GetProperty("step").GetString().ShouldBe("review");
        var success = triage.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "success");
        success.GetProperty("verdict").GetString().ShouldBe("not_met");
        success.GetProperty("unit").GetString().ShouldBe("percent");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_workflow_without_runs_says_so_with_the_command_that_runs_it()
    {
        KeepTriage();

        var never = await Tend("workflow", "stats", "nightly");
        never.ExitCode.ShouldBe(0, never.ToString());
        never.Stdout.ShouldContain("nightly: no runs in the last 7d (it has never run here). Run it with: tend workflow run nightly");

        var old = await Tend("workflow", "stats", "triage", "--since", "10m");
        old.Stdout.ShouldContain("triage: no runs in the last 10m");
        old.Stdout.ShouldContain("Run it with: tend workflow run /stack/triage.yaml");

        var nothing = await TendBinary.RunAsync(Directory.CreateDirectory(Path.Combine(_directory.Path, "empty")).FullName, "workflow", "stats");
        nothing.ExitCode.ShouldBe(0, nothing.ToString());
        nothing.Stdout.ShouldContain("No workflow has run here yet");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_window_that_is_not_a_duration_is_a_usage_error()
    {
        var result = await Tend("workflow", "stats", "--since", "yesterday");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("--since 'yesterday' is not a duration");
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_workflow_families_pass_promtool()
    {
        Promtool.Path();
        KeepTriage();
        Keep(Run("nightly \"quoted\"", RunOutcome.Running, TimeSpan.FromMinutes(1), null));
        var writer = new ExpositionWriter();
        StackExposition.WriteWorkflows(writer, WorkflowTotals.Of(new RunRecordCache().Read(Path.Combine(_directory.Path, ".tend"))));

        var check = await Promtool.RunAsync(writer.ToString(), "check", "metrics");

        (check.ExitCode, check.Output).ShouldBe((0, ""), writer.ToString());
        writer.ToString().ShouldContain("tend_workflow_artifacts_total{workflow=\"triage\",result=\"failed\"} 2");
    }
}
