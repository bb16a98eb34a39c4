using System.Text;
using Tend.Core.Model;

namespace Tend.Core.Metrics;

/// <summary>The generated parts of docs/metrics.md: the families, and the built-in rules as PromQL, from what the daemon and `tend metrics rules` use (a test keeps them equal).</summary>
public static class MetricsDocs
{
    public const string FamiliesBegin = "<!-- families: generated from ExposedMetrics -->";
    public const string RulesBegin = "<!-- rules: generated from Monitoring/rules.toml through RuleExpression -->";
    public const string End = "<!-- end of generated -->";

    public static string Families()
    {
        var text = new StringBuilder("| metric | type | labels | meaning |\n|---|---|---|---|\n");
        foreach (var metric in ExposedMetrics.All)
        {
            var labels = metric.Labels.Count == 0 ? "-" : string.Join(", ", metric.Labels.Select(l => $"`{l}`"));
            text.Append($"| `{metric.Name}` | {metric.Type.ToString().ToLowerInvariant()} | {labels} | {metric.Help} |\n");
        }

        return text.ToString();
    }

    public static string Rules()
    {
        var text = new StringBuilder("| rule | PromQL (`tend metrics rules`) |\n|---|---|\n");
        foreach (var rule in Config.MonitorReader.BuiltIn())
        {
            var main = RuleExpression.Of(rule.Condition, rule, MonitorPolicy.DefaultInterval);
            var cell = main.Expr is null ? $"a comment: {main.Why}" : $"`{main.Expr}`{(main.ExtraFor > TimeSpan.Zero ? $" for {RuleExpression.Duration(main.ExtraFor + rule.For)}" : "")}";
            var more = rule.Also.Count + rule.Either.Count > 0 ? $" {(rule.Also.Count > 0 ? "and" : "or")} its other condition{(rule.Also.Count + rule.Either.Count > 1 ? "s" : "")}" : "";
            text.Append($"| `{rule.Name}` | {cell.Replace("|", "\\|", StringComparison.Ordinal)}{more} |\n");
        }

        return text.ToString();
    }

    /// <summary>The document with its generated parts rendered afresh.</summary>
    public static string Render(string document) => Replace(Replace(document, FamiliesBegin, Families()), RulesBegin, Rules());

    private static string Replace(string document, string begin, string content)
    {
        var start = document.IndexOf(begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : document.IndexOf(End, start, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            throw new InvalidOperationException($"docs/metrics.md lacks {begin} ... {End}");
        }

        return string.Concat(document.AsSpan(0, start + begin.Length), "\n", content, document.AsSpan(end));
    }
}
