using Tend.Core.Model;
using Tend.Core.Monitoring;

namespace Tend.Core.Tests.Monitoring;

/// <summary>An alert's life: fires once after its `for`, resolves once after its `clear_after`, with hysteresis, and survives a restart of the daemon through its state.</summary>
public sealed class AlertBookSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static MonitorRule Rule(TimeSpan? holdFor = null, TimeSpan? clearAfter = null, double? clear = null, string name = "memory_hog") => new(
        name, true, new RuleCondition(MetricCatalog.MemoryBytes, ThresholdDirection.Above, 100, clear, null, false), [], [], holdFor ?? TimeSpan.Zero, clearAfter ?? TimeSpan.Zero,
        AlertSeverity.Warning, RuleAction.Alert, [], "memory above 100", "`tend status`");

    /// <summary>The metric's value per subject; absent subjects read null.</summary>
    private sealed class Values : IMetricSource
    {
        public Dictionary<string, double?> Now { get; } = [];

        public IEnumerable<RuleSubject> Subjects(MetricSubject kind, MonitorRule rule) => Now.Keys.Select(RuleSubject.Of);

        public double? Read(RuleCondition condition, RuleSubject subject) => Now.GetValueOrDefault(subject.Name);
    }

    private static List<AlertChange> Step(AlertBook book, MonitorRule rule, Values values, TimeSpan at) =>
        book.Apply(RuleEvaluator.Read([rule], values), Start + at);

    [Fact]
    public void A_condition_fires_once_after_it_has_held_for_its_for_and_resolves_once()
    {
        var rule = Rule(holdFor: TimeSpan.FromSeconds(30));
        var book = new AlertBook();
        var values = new Values();
        values.Now["api"] = 150;

        Step(book, rule, values, TimeSpan.Zero).ShouldBeEmpty();
        Step(book, rule, values, TimeSpan.FromSeconds(20)).ShouldBeEmpty("not yet 30 s");
        var fired = Step(book, rule, values, TimeSpan.FromSeconds(30)).ShouldHaveSingleItem();
        fired.Fired.ShouldBeTrue();
        (fired.Alert.Rule, fired.Alert.Subject, fired.Alert.Component, fired.Alert.Value).ShouldBe(("memory_hog", "api", "api", 150));
        fired.Alert.Facts.ShouldHaveSingleItem().ShouldContain("memory_bytes = 150 B (above 100 B)");
        Step(book, rule, values, TimeSpan.FromSeconds(40)).ShouldBeEmpty("fires once");

        values.Now["api"] = 50;
        var resolved = Step(book, rule, values, TimeSpan.FromSeconds(50)).ShouldHaveSingleItem();
        resolved.Fired.ShouldBeFalse();
        resolved.Alert.ResolvedAt.ShouldBe(Start + TimeSpan.FromSeconds(50));
        resolved.Alert.FiredAt.ShouldBe(Start + TimeSpan.FromSeconds(30));
        book.Firing.ShouldBeEmpty();
        book.Recent.ShouldHaveSingleItem();
        Step(book, rule, values, TimeSpan.FromSeconds(60)).ShouldBeEmpty("resolves once");
    }

    [Fact]
    public void A_condition_that_stops_holding_before_its_for_fires_nothing_and_starts_counting_afresh()
    {
        var rule = Rule(holdFor: TimeSpan.FromSeconds(30));
        var book = new AlertBook();
        var values = new Values();
        values.Now["api"] = 150;
        Step(book, rule, values, TimeSpan.Zero);
        values.Now["api"] = 50;
        Step(book, rule, values, TimeSpan.FromSeconds(20)).ShouldBeEmpty();
        values.Now["api"] = 150;
        Step(book, rule, values, TimeSpan.FromSeconds(35)).ShouldBeEmpty("30 s count from 35 s");
        Step(book, rule, values, TimeSpan.FromSeconds(65)).ShouldHaveSingleItem().Fired.ShouldBeTrue();
    }

    [Fact]
    public void Hysteresis_and_clear_after_keep_a_value_hovering_at_the_threshold_from_flapping()
    {
        var rule = Rule(clear: 80, clearAfter: TimeSpan.FromSeconds(20));
        var book = new AlertBook();
        var values = new Values();
        values.Now["api"] = 120;
        Step(book, rule, values, TimeSpan.Zero).ShouldHaveSingleItem().Fired.ShouldBeTrue();
        values.Now["api"] = 90;
        Step(book, rule, values, TimeSpan.FromSeconds(10)).ShouldBeEmpty("below the threshold but above clear_below");
        values.Now["api"] = 70;
        Step(book, rule, values, TimeSpan.FromSeconds(20)).ShouldBeEmpty("clear, but not yet for 20 s");
        values.Now["api"] = 110;
        Step(book, rule, values, TimeSpan.FromSeconds(30)).ShouldBeEmpty("back up: still the same alert, not a new one");
        values.Now["api"] = 70;
        Step(book, rule, values, TimeSpan.FromSeconds(40)).ShouldBeEmpty("the clear_after counts afresh");
        Step(book, rule, values, TimeSpan.FromSeconds(60)).ShouldHaveSingleItem().Fired.ShouldBeFalse();
    }

    [Fact]
    public void A_book_restored_from_its_state_neither_fires_again_while_the_condition_holds_nor_forgets_to_resolve()
    {
        var rule = Rule();
        var values = new Values();
        values.Now["api"] = 150;
        values.Now["web"] = 150;
        var before = new AlertBook();
        Step(before, rule, values, TimeSpan.Zero).Count.ShouldBe(2);

        var json = System.Text.Json.JsonSerializer.Serialize(before.State, MonitorJson.Default.AlertBookState);
        var after = new AlertBook(System.Text.Json.JsonSerializer.Deserialize(json, MonitorJson.Default.AlertBookState));
        values.Now["web"] = 10;
        var changes = Step(after, rule, values, TimeSpan.FromMinutes(5));
        var only = changes.ShouldHaveSingleItem("api still holds: nothing new; web cleared while the daemon was down: resolved");
        (only.Alert.Subject, only.Fired, only.Alert.FiredAt).ShouldBe(("web", false, Start));
    }

    [Fact]
    public void A_pending_for_survives_a_restart_so_a_condition_that_held_before_fires_on_time()
    {
        var rule = Rule(holdFor: TimeSpan.FromMinutes(5));
        var values = new Values();
        values.Now["api"] = 150;
        var before = new AlertBook();
        Step(before, rule, values, TimeSpan.Zero).ShouldBeEmpty();

        var after = new AlertBook(before.State);
        Step(after, rule, values, TimeSpan.FromMinutes(5)).ShouldHaveSingleItem().Fired.ShouldBeTrue();
    }

    [Fact]
    public void A_firing_alert_whose_rule_or_subject_is_gone_resolves_saying_so()
    {
        var rule = Rule();
        var values = new Values();
        values.Now["api"] = 150;
        var book = new AlertBook();
        Step(book, rule, values, TimeSpan.Zero);

        var resolved = book.Apply([], Start + TimeSpan.FromMinutes(1)).ShouldHaveSingleItem();
        resolved.Fired.ShouldBeFalse();
        resolved.Alert.Facts.ShouldHaveSingleItem().ShouldContain("no longer applies");
    }

    [Fact]
    public void A_metric_that_is_absent_clears_an_alert_unless_the_condition_counts_absence_as_holding()
    {
        var rule = Rule();
        var values = new Values();
        values.Now["api"] = 150;
        var book = new AlertBook();
        Step(book, rule, values, TimeSpan.Zero).ShouldHaveSingleItem();
        values.Now["api"] = null;
        Step(book, rule, values, TimeSpan.FromSeconds(1)).ShouldHaveSingleItem().Fired.ShouldBeFalse("it stopped running: nothing uses memory");

        var idle = rule with { Condition = rule.Condition with { IfMissing = true } };
        Step(new AlertBook(), idle, values, TimeSpan.Zero).ShouldHaveSingleItem().Fired.ShouldBeTrue();
    }

    [Fact]
    public void Also_needs_every_condition_and_either_any_one()
    {
        var cpu = new RuleCondition(MetricCatalog.HostCpuPercent, ThresholdDirection.Below, 10, null, null, false);
        var gpu = new RuleCondition(MetricCatalog.HostGpuPercent, ThresholdDirection.Below, 5, null, null, false);
        var source = new Fixed(new() { [MetricCatalog.HostCpuPercent] = 3, [MetricCatalog.HostGpuPercent] = 40 });
        var both = new MonitorRule("idle", true, cpu, [gpu], [], TimeSpan.Zero, TimeSpan.Zero, AlertSeverity.Info, RuleAction.Alert, [], "idle", null);
        RuleEvaluator.Read(both, RuleSubject.Host, source).Holds.ShouldBeFalse("the GPU is busy");
        var either = both with { Also = [], Either = [gpu] };
        RuleEvaluator.Read(either, RuleSubject.Host, source).Holds.ShouldBeTrue();
        RuleEvaluator.Read(either, RuleSubject.Host, source).Facts.Count.ShouldBe(2);
    }

    private sealed class Fixed(Dictionary<string, double> values) : IMetricSource
    {
        public IEnumerable<RuleSubject> Subjects(MetricSubject kind, MonitorRule rule) => [RuleSubject.Host];

        public double? Read(RuleCondition condition, RuleSubject subject) => values.TryGetValue(condition.Metric, out var v) ? v : null;
    }
}
