using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests.Workflows;

/// <summary>
/// Monitor rules on workflow KPIs as a user meets them: the daemon reads the run records, a failing
/// run fires the success rule and successes resolve it; `tend metrics rules` writes the triage
/// preset's KPI rules as Prometheus rules that promtool accepts; a rule on a workflow the stack does
/// not have is refused with where and exit 2.
/// </summary>
public sealed class WorkflowAlertSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public WorkflowAlertSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private List<JsonElement> Alerts(string kind) =>
        [.. _daemon.ReadEvents().Where(e => e.GetProperty("event").GetString() == kind && e.GetProperty("rule").GetString() == "nightly_success")];

    [Fact(Timeout = 120_000)]
    public async Task A_failing_run_fires_the_success_rule_with_the_workflow_as_subject_and_successes_resolve_it()
    {
        _directory.Write("tend.toml", $$"""
            [monitor]
            interval = "200ms"

            [components.api]
            command = {{Dummy.TomlArgv("sleep", "600000")}}

            [workflows.nightly]
            [[workflows.nightly.steps]]
            id = "build"
            run = ["sh", "-c", "test -f ok"]

            [[monitor.rule]]
            name = "nightly_success"
            metric = "workflow.success_percent"
            below = 60
            window = "1h"
            workflows = ["nightly"]
            severity = "critical"
            summary = "the nightly build fails"
            hint = "`tend workflow stats {subject}`"
            """);
        var up = await Tend("up");
        up.ExitCode.ShouldBe(0, up.ToString());

        var failed = await Tend("workflow", "run", "nightly");
        await DaemonState.WaitUntilAsync(() => Alerts("alert_firing").Count >= 1);
        var alerts = await Tend("alerts");
        _directory.Write("ok", "");
        (await Tend("workflow", "run", "nightly")).ExitCode.ShouldBe(0);
        (await Tend("workflow", "run", "nightly")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => Alerts("alert_resolved").Count >= 1);

        failed.ExitCode.ShouldNotBe(0, failed.ToString());
        var fired = Alerts("alert_firing").ShouldHaveSingleItem();
        fired.GetProperty("subject").GetString().ShouldBe("nightly");
        fired.GetProperty("severity").GetString().ShouldBe("critical");
        fired.GetProperty("hint").GetString().ShouldBe("`tend workflow stats nightly`");
        fired.GetProperty("facts")[0].GetString().ShouldBe("workflow.success_percent over the runs of 1h = 0 % (below 60 %)");
        alerts.ExitCode.ShouldBe(1, "an alert is firing");
        alerts.Stdout.ShouldContain("nightly_success on nightly");
        Alerts("alert_resolved").ShouldHaveSingleItem().GetProperty("facts")[0].GetString().ShouldStartWith("workflow.success_percent over the runs of 1h = 66.7 %");
        (await Tend("alerts")).ExitCode.ShouldBe(0, "nothing fires");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_triage_preset_s_KPI_rules_become_prometheus_rules_that_promtool_accepts()
    {
        Promtool.Path();
        (await Tend("init", "--preset", "triage")).ExitCode.ShouldBe(0);

        var rules = await Tend("metrics", "rules", "--out", "rules.yml");
        var check = await Promtool.RunAsync("", "check", "rules", Path.Combine(_directory.Path, "rules.yml"));

        rules.ExitCode.ShouldBe(0, rules.ToString());
        check.ExitCode.ShouldBe(0, check.Output);
        var yaml = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "rules.yml"), TestContext.Current.CancellationToken);
        yaml.ShouldContain("- alert: triage_success");
        yaml.ShouldContain("100 * sum by (workflow) (increase(tend_workflow_runs_total{workflow=\\\"triage\\\",outcome=\\\"succeeded\\\"}[168h]))");
        yaml.ShouldContain("histogram_quantile(0.95, sum by (workflow, le) (increase(tend_workflow_run_duration_seconds_bucket{workflow=\\\"triage\\\"}[168h]))) > 120");
        yaml.ShouldContain("tend_workflow_artifacts_total{workflow=\\\"triage\\\",result=\\\"ok\\\"}");
        yaml.ShouldContain("`tend workflow stats {{ $labels.workflow }}`");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_rule_on_a_workflow_the_stack_does_not_have_is_refused_with_where_and_exit_2()
    {
        _directory.Write("tend.toml", """
            [workflows.nightly]
            [[workflows.nightly.steps]]
            id = "build"
            run = ["true"]

            [[monitor.rule]]
            name = "x"
            metric = "workflow.success_percent"
            below = 98
            workflows = ["nighty"]
            """);

        var validate = await Tend("validate");

        validate.ExitCode.ShouldBe(2, validate.ToString());
        validate.Stderr.ShouldContain("tend.toml:10:13");
        validate.Stderr.ShouldContain("'nighty' is not a workflow of this stack");
        validate.Stderr.ShouldContain("nightly");
        validate.Stderr.ShouldNotContain("   at ");
    }
}
