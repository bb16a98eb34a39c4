using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;
using static Tend.Core.Tests.Workflows.Stats.RunRecords;

namespace Tend.Core.Tests.Workflows.Stats;

/// <summary>
/// Monitor rules on a workflow's KPIs as the daemon reads them: written in the stack file, read over
/// run records through <see cref="WorkflowKpiSource"/>, firing and resolving in the alert book.
/// </summary>
public sealed class WorkflowKpiRuleSpecs
{
    private const string Stack = """
        [workflows.triage]
        [[workflows.triage.steps]]
        id = "lint"
        run = ["true"]

        [workflows.nightly]
        [[workflows.nightly.steps]]
        id = "build"
        run = ["true"]

        """;

    private const string SuccessRule = """
        [[monitor.rule]]
        name = "triage_success"
        metric = "workflow.success_percent"
        below = 98
        window = "1d"
        workflows = ["triage"]
        summary = "the triage fails too often"
        hint = "tend workflow stats {subject}"
        """;

    private static StackLoadResult Load(string toml) => StackFileLoader.Parse(Stack + toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    private static MonitorRule Rule(string toml, string name)
    {
        var result = Load(toml);
        result.Errors.ShouldBeEmpty();
        return result.Stack!.Monitor.Rules.Single(r => r.Name == name);
    }

    private static string Error(string toml)
    {
        var result = Load(toml);
        result.Succeeded.ShouldBeFalse();
        return string.Join("\n", result.Errors.Select(e => e.ToString()));
    }

    private static List<RuleReading> Read(MonitorRule rule, IReadOnlyList<RunRecord> records, DateTimeOffset now) =>
        RuleEvaluator.Read([rule], new WorkflowKpiSource(records, ["triage", "nightly"], now));

    private static RunRecord Succeeded(TimeSpan ago) => Run("triage", RunOutcome.Succeeded, ago, TimeSpan.FromSeconds(30), Step("lint", StepState.Succeeded, emits: 1));

    private static RunRecord Failed(TimeSpan ago) => Run("triage", RunOutcome.Failed, ago, TimeSpan.FromMinutes(3), Step("lint", StepState.Failed, 0, 1, ("exit 1", 0)));

    [Fact]
    public void A_rule_on_a_workflow_metric_reads_its_window_and_the_workflows_it_names()
    {
        var rule = Rule(SuccessRule, "triage_success");

        rule.Workflows.ShouldBe(["triage"]);
        rule.Condition.Window.ShouldBe(TimeSpan.FromDays(1));
        (rule.Condition.Metric, rule.Condition.Direction, rule.Condition.Threshold).ShouldBe((MetricCatalog.WorkflowSuccessPercent, ThresholdDirection.Below, 98));
    }

    [Fact]
    public void A_rule_naming_a_workflow_the_stack_does_not_have_is_an_error_at_the_workflows_key()
    {
        var error = Error("""
            [[monitor.rule]]
            name = "x"
            metric = "workflow.success_percent"
            below = 98
            workflows = ["triag"]
            """);

        error.ShouldContain("tend.toml:14:13");
        error.ShouldContain("'triag' is not a workflow of this stack");
        error.ShouldContain("triage");
    }

    [Theory]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nwindow = \"1d\"", "goes with workflow metrics only")]
    [InlineData("metric = \"workflow.runs\"\nabove = 3\naverage = \"1h\"", "a KPI is already over the runs of a window")]
    [InlineData("metric = \"workflow.success_percent\"\nbelow = 90\naction = \"stop\"", "acts on components")]
    [InlineData("metric = \"workflow.success_percent\"\nbelow = 90\ncomponents = [\"api\"]", "name the workflows it watches")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nworkflows = [\"triage\"]", "workflows goes with workflow metrics only")]
    public void Keys_that_do_not_go_with_the_metric_are_errors(string keys, string expected)
    {
        Error($"[[monitor.rule]]\nname = \"x\"\n{keys}\n").ShouldContain(expected);
    }

    [Fact]
    public void One_failed_run_in_the_window_makes_the_success_rule_hold_and_runs_outside_it_do_not_count()
    {
        var rule = Rule(SuccessRule, "triage_success");
        var now = Noon;
        IReadOnlyList<RunRecord> records = [Succeeded(TimeSpan.FromHours(1)), Succeeded(TimeSpan.FromHours(2)), Failed(TimeSpan.FromHours(3)), Failed(TimeSpan.FromDays(3))];

        var reading = Read(rule, records, now).ShouldHaveSingleItem();

        reading.Subject.Name.ShouldBe("triage");
        reading.Subject.Component.ShouldBeNull();
        reading.Value!.Value.ShouldBe(200.0 / 3, 0.01);
        reading.Holds.ShouldBeTrue();
        reading.Facts.ShouldHaveSingleItem().ShouldBe("workflow.success_percent over the runs of 24h = 66.7 % (below 98 %)");
    }

    [Fact]
    public void A_workflow_without_an_ended_run_reads_nothing_and_fires_nothing()
    {
        var rule = Rule(SuccessRule, "triage_success");

        var reading = Read(rule, [Run("triage", RunOutcome.Running, TimeSpan.FromMinutes(1), null)], Noon).ShouldHaveSingleItem();

        reading.Value.ShouldBeNull();
        reading.Holds.ShouldBeFalse();
    }

    [Fact]
    public void A_rule_naming_no_workflow_watches_every_declared_one_and_every_one_that_ran_here()
    {
        var rule = Rule("""
            [[monitor.rule]]
            name = "slow"
            metric = "workflow.completion_p95"
            above = "2m"
            """, "slow");
        IReadOnlyList<RunRecord> records = [Failed(TimeSpan.FromHours(1)), Run("adhoc", RunOutcome.Succeeded, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5))];

        var readings = Read(rule, records, Noon);

        readings.Select(r => (r.Subject.Name, r.Holds)).ShouldBe([("triage", true), ("nightly", false), ("adhoc", true)]);
        readings[0].Value.ShouldBe(180);
    }

    [Fact]
    public void Artifact_success_and_the_count_of_ended_runs_are_read_as_workflow_stats_computes_them()
    {
        var rule = Rule("""
            [[monitor.rule]]
            name = "artifacts"
            metric = "workflow.artifact_success_percent"
            below = 95
            also = [{ metric = "workflow.runs", above = 2 }]
            workflows = ["triage"]
            """, "artifacts");
        var bad = Run("triage", RunOutcome.Failed, TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), Step("lint", StepState.Failed, 0, 2, ("artifacts/a.json: empty", 1)));
        IReadOnlyList<RunRecord> records = [bad, Succeeded(TimeSpan.FromHours(2))];

        var two = Read(rule, records, Noon).ShouldHaveSingleItem();
        var three = Read(rule, [.. records, Succeeded(TimeSpan.FromHours(3))], Noon).ShouldHaveSingleItem();

        two.Values.ShouldBe([100.0 * 2 / 3, 2.0]);
        two.Holds.ShouldBeFalse("only 2 runs ended: the also condition wants more than 2");
        three.Holds.ShouldBeTrue();
        three.Values[0]!.Value.ShouldBe(75, 0.01);
    }

    [Fact]
    public void The_alert_fires_once_on_a_failing_run_and_resolves_once_successes_bring_the_rate_back()
    {
        var rule = Rule(SuccessRule.Replace("below = 98", "below = 60\nclear_above = 70"), "triage_success");
        var book = new AlertBook();
        List<RunRecord> records = [Succeeded(TimeSpan.FromHours(5)), Failed(TimeSpan.FromHours(4))];

        var fired = book.Apply(Read(rule, records, Noon), Noon);
        var again = book.Apply(Read(rule, records, Noon + TimeSpan.FromMinutes(1)), Noon + TimeSpan.FromMinutes(1));
        records.Add(Succeeded(TimeSpan.FromHours(1)));
        var stillBelowClear = book.Apply(Read(rule, records, Noon), Noon);
        records.Add(Succeeded(TimeSpan.FromMinutes(30)));
        var resolved = book.Apply(Read(rule, records, Noon), Noon);

        var alert = fired.ShouldHaveSingleItem();
        (alert.Fired, alert.Alert.Subject, alert.Alert.Hint, alert.Alert.Value).ShouldBe((true, "triage", "tend workflow stats triage", 50));
        again.ShouldBeEmpty();
        stillBelowClear.ShouldBeEmpty("66.7 % is above the threshold but not above clear_above");
        resolved.ShouldHaveSingleItem().Fired.ShouldBeFalse();
    }
}
