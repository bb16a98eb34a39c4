using System.Text;
using Tend.Core.Monitoring;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>The generated parts of docs/monitor.md: the metrics and the built-in rules, from the data the daemon uses (a test keeps them equal).</summary>
public static class MonitorDocs
{
    public const string MetricsBegin = "<!-- metrics: generated from MetricCatalog -->";
    public const string RulesBegin = "<!-- rules: generated from Monitoring/rules.toml -->";
    public const string End = "<!-- end of generated -->";

    public static string Metrics()
    {
        var text = new StringBuilder("| metric | about | unit | meaning |\n|---|---|---|---|\n");
        foreach (var metric in MetricCatalog.All)
        {
            text.Append($"| `{metric.Name}` | {metric.Subject.ToString().ToLowerInvariant()} | {Unit(metric.Unit)} | {metric.Description} |\n");
        }

        return text.ToString();
    }

    public static string Rules()
    {
        var text = new StringBuilder("| rule | on by default | condition | for | severity | action | hint |\n|---|---|---|---|---|---|---|\n");
        foreach (var rule in MonitorReader.BuiltIn())
        {
            var condition = Condition(rule.Condition);
            if (rule.Also.Count > 0)
            {
                condition += " and " + string.Join(" and ", rule.Also.Select(Condition));
            }

            if (rule.Either.Count > 0)
            {
                condition += " or " + string.Join(" or ", rule.Either.Select(Condition));
            }

            var hint = (rule.Hint ?? "").Replace("|", "\\|", StringComparison.Ordinal);
            text.Append($"| `{rule.Name}` | {(rule.Enabled ? "yes" : "no")} | {condition} | {(rule.For == TimeSpan.Zero ? "-" : Text.Quantities.FormatDuration(rule.For))} | {rule.Severity.ToString().ToLowerInvariant()} | {rule.Action.Name} | {hint} |\n");
        }

        text.Append("| `max_memory` | per component that sets `max_memory` | `memory_bytes` above the component's `max_memory` | - | warning | restart | `tend status` shows its memory; raise `max_memory` if it needs more, or find the leak in `tend logs {component}` |\n");
        return text.ToString();
    }

    /// <summary>The document with its generated parts rendered afresh.</summary>
    public static string Render(string document) => Replace(Replace(document, MetricsBegin, Metrics()), RulesBegin, Rules());

    private static string Replace(string document, string begin, string content)
    {
        var start = document.IndexOf(begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : document.IndexOf(End, start, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            throw new InvalidOperationException($"docs/monitor.md lacks {begin} ... {End}");
        }

        return document[..(start + begin.Length)] + "\n" + content + document[end..];
    }

    private static string Condition(RuleCondition c)
    {
        var metric = c.Events is { } events ? $"`{events.Kind}` events{(events.Where.Count > 0 ? " with " + string.Join(", ", events.Where.Select(w => $"{w.Key}={w.Value}")) : "")} {(events.Last is { } last ? $"among the last {last}" : $"in {Text.Quantities.FormatDuration(events.Window!.Value)}")}" : $"`{c.Metric}`";
        if (c.Window is { } window)
        {
            metric += $" over the runs of {Text.Quantities.FormatDuration(window)}";
        }

        if (c.Average is { } average)
        {
            metric += $" averaged over {Text.Quantities.FormatDuration(average)}";
        }

        var clear = c.Clear is { } value ? $" (clears {(c.Direction == ThresholdDirection.Above ? "below" : "above")} {RuleEvaluator.Show(c, value)})" : "";
        var missing = c.IfMissing ? " (holds where there is none)" : "";
        return $"{metric} {(c.Direction == ThresholdDirection.Above ? "above" : "below")} {RuleEvaluator.Show(c, c.Threshold)}{clear}{missing}";
    }

    private static string Unit(MetricUnit unit) => unit switch
    {
        MetricUnit.Bytes => "bytes (`\"512MB\"`)",
        MetricUnit.Seconds => "seconds (`\"5m\"`)",
        MetricUnit.Percent => "percent",
        MetricUnit.Ratio => "ratio",
        _ => "count",
    };
}
