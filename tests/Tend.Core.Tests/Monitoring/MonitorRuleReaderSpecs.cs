using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Monitoring;

namespace Tend.Core.Tests.Monitoring;

/// <summary>[monitor], [[monitor.rule]] and [[notify]] as a user writes them: built-ins changed key by key, mistakes found with where and why.</summary>
public sealed class MonitorRuleReaderSpecs
{
    private const string Component = """
        [components.api]
        command = ["sleep", "1"]
        """;

    private static StackLoadResult Load(string toml) => StackFileLoader.Parse(Component + "\n" + toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    private static MonitorPolicy Monitor(string toml)
    {
        var result = Load(toml);
        result.Errors.ShouldBeEmpty();
        return result.Stack!.Monitor;
    }

    private static string Error(string toml)
    {
        var result = Load(toml);
        result.Succeeded.ShouldBeFalse();
        return string.Join("\n", result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Every_built_in_rule_loads_and_the_documented_ones_are_there_with_their_defaults()
    {
        var rules = Monitor("").Rules;
        rules.Select(r => r.Name).ShouldBe(["stale_output", "hung_round", "auth_fail", "network_fail", "rate_limited", "disk", "disk_critical", "memory", "restarts", "unhealthy_for", "idle"]);
        rules.ShouldAllBe(r => r.BuiltIn);
        rules.Single(r => r.Name == "stale_output").Enabled.ShouldBeFalse("off unless the stack sets it");
        rules.Single(r => r.Name == "idle").Enabled.ShouldBeFalse();
        var auth = rules.Single(r => r.Name == "auth_fail");
        (auth.Severity, auth.Action.Kind, auth.Condition.Events!.Last, auth.Condition.Threshold).ShouldBe((AlertSeverity.Critical, RuleActionKind.Stop, 10, 2));
        var disk = rules.Single(r => r.Name == "disk_critical");
        (disk.Condition.Threshold, disk.Condition.Clear, disk.Action.Kind).ShouldBe((95, 93, RuleActionKind.Stop));
        rules.Single(r => r.Name == "memory").Either.Single().Metric.ShouldBe(MetricCatalog.HostMemoryUsedPercent);
        Monitor("").Interval.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_stack_rule_with_a_built_in_name_changes_only_the_keys_it_gives_and_turns_an_off_rule_on()
    {
        var rules = Monitor("""
            [monitor]
            interval = "2s"

            [[monitor.rule]]
            name = "stale_output"
            above = "90s"
            components = ["api"]

            [[monitor.rule]]
            name = "disk"
            enabled = false

            [[monitor.rule]]
            name = "restarts"
            action = "stop"
            """).Rules;

        var stale = rules.Single(r => r.Name == "stale_output");
        stale.Enabled.ShouldBeTrue();
        stale.Condition.Threshold.ShouldBe(90);
        stale.Components.ShouldBe(["api"]);
        stale.Severity.ShouldBe(AlertSeverity.Warning, "kept from the built-in");
        stale.Hint.ShouldNotBeNull().ShouldContain("tend logs");
        rules.Single(r => r.Name == "disk").Enabled.ShouldBeFalse();
        var restarts = rules.Single(r => r.Name == "restarts");
        restarts.Action.Kind.ShouldBe(RuleActionKind.Stop);
        restarts.Condition.Events!.Window.ShouldBe(TimeSpan.FromHours(1), "kept from the built-in");
    }

    [Fact]
    public void A_new_direction_replaces_the_built_in_threshold_and_its_hysteresis()
    {
        var disk = Monitor("""
            [[monitor.rule]]
            name = "disk"
            metric = "disk_free_bytes"
            below = "5GB"
            """).Rules.Single(r => r.Name == "disk");

        (disk.Condition.Metric, disk.Condition.Direction, disk.Condition.Threshold, disk.Condition.Clear).ShouldBe((MetricCatalog.DiskFreeBytes, ThresholdDirection.Below, 5_000_000_000, null));
    }

    [Fact]
    public void A_stack_rule_of_its_own_reads_every_key()
    {
        var rule = Monitor("""
            [[monitor.rule]]
            name = "busy_api"
            metric = "cpu_percent"
            average = "1m"
            above = 150
            clear_below = 100
            for = "2m"
            clear_after = "30s"
            severity = "critical"
            exec = ["notify-send", "api is busy"]
            components = "api"
            summary = "the api is busy"
            hint = "look at `tend logs {component}`"
            """).Rules.Single(r => r.Name == "busy_api");

        rule.BuiltIn.ShouldBeFalse();
        (rule.Condition.Average, rule.Condition.Threshold, rule.Condition.Clear, rule.For, rule.ClearAfter).ShouldBe((TimeSpan.FromMinutes(1), 150, 100, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30)));
        rule.Action.ShouldBe(new RuleAction(RuleActionKind.Exec, ["notify-send", "api is busy"]));
        AlertBook.Hint(rule, RuleSubject.Of("api")).ShouldBe("look at `tend logs api`");
    }

    [Fact]
    public void Max_memory_on_a_component_is_a_rule_that_restarts_it()
    {
        var result = StackFileLoader.Parse("""
            [components.api]
            command = ["sleep", "1"]
            max_memory = "512MB"
            """, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

        var rule = result.Stack!.Monitor.Rules.Single(r => r.Name == "max_memory");
        (rule.Condition.Metric, rule.Condition.Threshold, rule.Action.Kind, rule.Components.Single()).ShouldBe((MetricCatalog.MemoryBytes, 512_000_000, RuleActionKind.Restart, "api"));
    }

    [Theory]
    [InlineData("metric = \"memory_byte\"\nabove = \"1GB\"", "no metric \"memory_byte\"", "memory_bytes")]
    [InlineData("metric = \"memory_bytes\"\nabove = \"lots\"", "must be a size such as \"512MB\" for memory_bytes", "")]
    [InlineData("metric = \"output_idle\"\nabove = \"5 minutes\"", "must be a duration such as \"5m\"", "")]
    [InlineData("metric = \"cpu_percent\"", "give a threshold with `above` or `below`", "")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nbelow = 10", "give a threshold with `above` or `below`", "")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nclear_above = 95", "does not go with `above`", "clear_below")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nclear_below = 95", "must be on the safe side", "")]
    [InlineData("metric = \"events\"\nabove = 3", "needs `events = {", "")]
    [InlineData("metric = \"events\"\nabove = 3\nevents = { kind = \"restart_scheduld\", window = \"1h\" }", "no event kind \"restart_scheduld\"", "restart_scheduled")]
    [InlineData("metric = \"events\"\nabove = 3\nevents = { kind = \"restart_scheduled\" }", "in a `window`", "")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\naction = \"reboot\"", "must be one of \"alert\", \"stop\", \"restart\"", "")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\ncomponents = [\"apj\"]", "applies to 'apj', which is not a component", "api")]
    [InlineData("metric = \"host.cpu_percent\"\nbelow = 5\naction = \"stop\"", "say which components its action = \"stop\" applies to", "components = [")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nalso = [{ metric = \"disk_used_percent\", above = 90 }]", "is not about the same thing", "")]
    [InlineData("metric = \"cpu_percent\"\nabove = 90\nseverty = \"info\"", "unknown key 'severty'", "severity")]
    public void A_mistake_in_a_rule_is_an_error_that_says_where_and_why(string keys, string message, string hint)
    {
        var text = Error($"[[monitor.rule]]\nname = \"mine\"\n{keys}\n");
        text.ShouldContain("tend.toml:");
        if (message.Length > 0)
        {
            text.ShouldContain(message);
        }

        text.ShouldContain(hint);
    }

    [Fact]
    public void Two_rules_of_one_name_are_refused()
    {
        Error("""
            [[monitor.rule]]
            name = "mine"
            metric = "cpu_percent"
            above = 90

            [[monitor.rule]]
            name = "mine"
            metric = "memory_bytes"
            above = "1GB"
            """).ShouldContain("a second rule named \"mine\"");
    }

    [Fact]
    public void Notifiers_are_read_with_their_defaults_and_their_mistakes_refused()
    {
        var notifiers = Monitor("""
            [[notify]]
            webhook = "https://hooks.example.org/tend"
            secret_env = "TEND_HOOK_SECRET"
            min_severity = "warning"

            [[notify]]
            name = "pager"
            exec = ["./page.sh"]
            """).Notifiers;

        notifiers.Select(n => (n.Name, n.Kind, n.MinSeverity)).ShouldBe([("webhook-1", NotifierKind.Webhook, AlertSeverity.Warning), ("pager", NotifierKind.Exec, AlertSeverity.Info)]);
        notifiers[0].Attempts.ShouldBe(NotifierSpec.DefaultAttempts);

        Error("[[notify]]\nwebhook = \"ftp://x\"").ShouldContain("must be an http:// or https:// URL");
        Error("[[notify]]\nmin_severity = \"info\"").ShouldContain("give `webhook = \"https://...\"` or `exec = [argv]`");
        Error("[[notify]]\nwebhook = \"https://x\"\nsecret_env = \"$SECRET\"").ShouldContain("is the NAME of an environment variable");
        Error("[[notify]]\nexec = \"page.sh\"").ShouldContain("must be an array of strings (argv)");
    }

    [Fact]
    public void The_interval_and_the_metrics_retention_are_read_and_checked()
    {
        var policy = Monitor("[monitor]\ninterval = \"30s\"\nkeep_days = 3\nmax_size = \"20MB\"");
        (policy.Interval, policy.KeepDays, policy.MaxBytes).ShouldBe((TimeSpan.FromSeconds(30), 3, 20_000_000));
        Error("[monitor]\ninterval = \"10ms\"").ShouldContain("must be at least 100ms");
    }

    [Fact]
    public void A_rule_may_run_a_check_of_its_own_and_reads_how_long_it_has_been_failing()
    {
        var rule = Monitor("""
            [[monitor.rule]]
            name = "upstream"
            check = { http = "https://api.example.org/health", timeout = "3s" }
            above = "2m"
            action = "restart"
            components = ["api"]
            """).Rules.Single(r => r.Name == "upstream");

        rule.Check.ShouldNotBeNull().Kind.ShouldBe("http");
        (rule.Condition.Metric, rule.Condition.Threshold).ShouldBe((MetricCatalog.CheckFailingFor, 120));
        rule.Summary.ShouldBe("check failing: http https://api.example.org/health");
        Monitor("[[monitor.rule]]\nname = \"up\"\ncheck = { tcp = \"127.0.0.1:5432\" }").Rules.Single(r => r.Name == "up").Condition.Threshold.ShouldBe(30, "failing for more than 30 s, not at the first failure of something still starting");

        Error("[[monitor.rule]]\nname = \"up\"\ncheck = { htp = \"x\" }").ShouldContain("names no check kind");
        Error("[[monitor.rule]]\nname = \"up\"\nmetric = \"check_failing_for\"\nabove = 0").ShouldContain("add check = {");
        Error("[[monitor.rule]]\nname = \"up\"\ncheck = { tcp = \"127.0.0.1:5432\" }\naction = \"stop\"").ShouldContain("say which components");
    }
}
