using Tend.Core.Config;
using Tend.Core.Metrics;
using Tend.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Tests.Metrics;

/// <summary>
/// `tend metrics rules` as an operator reads it: every monitor rule of the stack is an alerting
/// rule over tend's metrics, or a comment saying why it cannot be; none is dropped in silence.
/// </summary>
public sealed class AlertRulesFileSpecs
{
    private const string Api = """
        [components.api]
        command = ["sleep", "1"]
        health = { http = "http://127.0.0.1:1/health" }
        """;

    private static StackFile Stack(string toml)
    {
        var result = StackFileLoader.Parse(Api + "\n" + toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());
        result.Errors.ShouldBeEmpty();
        return result.Stack!;
    }

    private static (List<YamlMappingNode> Rules, List<string> Comments, string Yaml) Written(StackFile stack)
    {
        var yaml = AlertRulesFile.Write(stack).Yaml;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var group = (YamlMappingNode)((YamlSequenceNode)root["groups"])[0];
        var rules = ((YamlSequenceNode)group["rules"]).Children.Cast<YamlMappingNode>().ToList();
        var comments = yaml.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        return (rules, comments, yaml);
    }

    private static string Text(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value!;
    }

    [Fact]
    public void Every_built_in_rule_is_an_alert_with_an_expression_or_a_comment_that_says_why()
    {
        // The two that are off by default, turned on, so that all of them must be written.
        var stack = Stack("""
            [[monitor.rule]]
            name = "stale_output"
            above = "10m"

            [[monitor.rule]]
            name = "idle"
            """);

        var (rules, comments, _) = Written(stack);

        foreach (var rule in stack.Monitor.Rules)
        {
            var alert = rules.SingleOrDefault(r => Text(r, "labels", "rule") == rule.Name);
            var why = comments.FirstOrDefault(c => c.StartsWith($"# {rule.Name}: no Prometheus equivalent: ", StringComparison.Ordinal));
            (alert is null).ShouldNotBe(why is null, $"{rule.Name} is neither an alert nor a comment saying why (or both)");
            if (alert is not null)
            {
                Text(alert, "expr").ShouldContain("tend_");
                Text(alert, "labels", "severity").ShouldBe(rule.Severity.ToString().ToLowerInvariant());
                Text(alert, "annotations", "summary").ShouldBe(rule.Summary);
            }
        }

        comments.ShouldContain(c => c.StartsWith("# auth_fail: no Prometheus equivalent: it counts among a component's last 10 round_ended events", StringComparison.Ordinal));
        Text(rules.Single(r => Text(r, "alert") == "restarts"), "expr").ShouldBe("sum by (component) (increase(tend_component_restarts_total{reason=~\"exit|signal|liveness\"}[1h])) > 5");
        Text(rules.Single(r => Text(r, "alert") == "disk"), "expr").ShouldBe("tend_host_disk_used_ratio * 100 > 90");
        var unhealthy = rules.Single(r => Text(r, "alert") == "unhealthy_for");
        (Text(unhealthy, "expr"), Text(unhealthy, "for")).ShouldBe(("tend_component_health{state=\"failing\"} == 1", "5m"), "failing for 5 minutes is failing, held 5 minutes");
        Text(unhealthy, "annotations", "description").ShouldContain("`tend why {{ $labels.component }}`");
        Text(rules.Single(r => Text(r, "alert") == "idle"), "expr").ShouldContain("or on() absent(tend_host_gpu_utilization_ratio)", Case.Sensitive, "no GPU counts as idle, as if_missing says");
    }

    [Fact]
    public void A_stack_rule_keeps_its_components_window_for_and_clear_after_and_a_rule_switched_off_or_with_its_own_check_is_a_comment()
    {
        var stack = Stack("""
            [[monitor.rule]]
            name = "busy_api"
            metric = "cpu_percent"
            above = 150
            average = "2m"
            for = "1m"
            clear_after = "30s"
            components = ["api"]
            severity = "critical"
            action = "restart"
            summary = "the API is busy"

            [[monitor.rule]]
            name = "site"
            metric = "check_failing_for"
            check = { http = "https://example.org/health" }
            summary = "the site is down"

            [[monitor.rule]]
            name = "disk"
            enabled = false

            [components.hog]
            command = ["sleep", "1"]
            max_memory = "512MB"
            """);

        var (rules, comments, _) = Written(stack);

        var busy = rules.Single(r => Text(r, "labels", "rule") == "busy_api");
        Text(busy, "alert").ShouldBe("busy_api");
        Text(busy, "expr").ShouldBe("rate(tend_component_cpu_seconds_total{component=\"api\"}[2m]) * 100 > 150");
        (Text(busy, "for"), Text(busy, "keep_firing_for"), Text(busy, "labels", "severity"), Text(busy, "annotations", "tend_action")).ShouldBe(("1m", "30s", "critical", "restart"));
        comments.ShouldContain(c => c.StartsWith("# site: no Prometheus equivalent: the monitor runs its own http check of https://example.org/health", StringComparison.Ordinal));
        comments.ShouldContain("# disk: switched off in this stack (enabled = false), so not written");
        Text(rules.Single(r => Text(r, "alert") == "max_memory"), "expr").ShouldBe($"tend_component_resident_memory_bytes{{component=\"hog\"}} > {stack.Find("hog")!.MaxMemory}");
    }

    [Fact]
    public void A_stack_whose_rules_all_lack_an_equivalent_still_writes_a_list_of_rules()
    {
        var stack = Stack(string.Join('\n', Config.MonitorReader.BuiltIn().Select(r => r.Name).Where(n => n is not "auth_fail" and not "network_fail").Select(n => $"[[monitor.rule]]\nname = \"{n}\"\nenabled = false\n")));

        var (rules, comments, yaml) = Written(stack);

        rules.ShouldBeEmpty();
        yaml.ShouldContain("    rules: []\n");
        comments.Count(c => c.Contains("no Prometheus equivalent", StringComparison.Ordinal)).ShouldBe(2);
    }
}
