using System.Globalization;
using Tend.Core.Config.Toml;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// Reads one monitor rule table, the built-in ones (Monitoring/rules.toml) and a stack file's
/// <c>[[monitor.rule]]</c> alike. A threshold is written in its metric's unit: a size for bytes
/// (<c>"2GB"</c>), a duration for seconds (<c>"5m"</c>), a number otherwise.
/// </summary>
internal static class MonitorRuleReader
{
    private static readonly string[] Severities = ["info", "warning", "critical"];
    private static readonly string[] Actions = ["alert", "stop", "restart"];

    /// <param name="workflows">The stack's workflows, which a rule's <c>workflows</c> must name; null to take any name (the built-in rules).</param>
    public static MonitorRule? Read(TableReader table, bool builtIn, IReadOnlyCollection<string>? workflows = null)
    {
        var name = table.String("name", required: true);
        var enabled = table.Boolean("enabled") ?? true;
        var check = table.Subtable("check") is { } checkTable ? CheckReader.Read(checkTable) : null;
        if (table.Has("check") && check is null)
        {
            return null;
        }

        var condition = ReadCondition(table, check is null ? null : Monitoring.MetricCatalog.CheckFailingFor);
        var also = ReadConditions(table, "also");
        var either = ReadConditions(table, "either");
        var holdFor = table.Duration("for") ?? TimeSpan.Zero;
        var clearAfter = table.Duration("clear_after") ?? TimeSpan.Zero;
        var severity = table.Choice("severity", Severities) switch
        {
            "info" => AlertSeverity.Info,
            "critical" => AlertSeverity.Critical,
            _ => AlertSeverity.Warning,
        };
        var action = ReadAction(table);
        var components = table.StringOrList("components") ?? [];
        var watched = table.StringOrList("workflows") ?? [];
        var summary = table.String("summary");
        var hint = table.String("hint");
        table.Finish();

        if (name is not null && !RuleName.IsMatch(name))
        {
            table.Problems.Error(table.Entry("name")!.Value.Location, $"{table.Describe("name")} must be a word of letters, digits and '_', not \"{name}\"");
            return null;
        }

        if (name is null || condition is null || also is null || either is null)
        {
            return null;
        }

        if (also.Count > 0 && either.Count > 0)
        {
            table.Problems.Error(table.Location, $"{table.Path}: give `also` (all must hold) or `either` (one is enough), not both");
            return null;
        }

        if (also.Concat(either).FirstOrDefault(c => MetricCatalog.Find(c.Metric) is { Subject: var s } && s != MetricCatalog.Find(condition.Metric)!.Subject && s != MetricSubject.Host) is { } foreign)
        {
            table.Problems.Error(table.Location, $"{table.Path}: `{foreign.Metric}` is not about the same thing as `{condition.Metric}`; extra conditions may add host metrics or metrics of the same subject");
            return null;
        }

        if ((check is null) != (condition.Metric != Monitoring.MetricCatalog.CheckFailingFor))
        {
            table.Problems.Error(table.Location, check is null ? $"{table.Path}: metric = \"check_failing_for\" reads the rule's own check: add check = {{ http = \"...\" }} (any pre-flight check)" : $"{table.Path}: a rule with a check reads check_failing_for, not {condition.Metric}", "e.g. check = { http = \"https://api.example.org/health\" }, above = \"2m\"");
            return null;
        }

        if (!MonitorWorkflowRules.Check(table, condition, components, watched, action, workflows))
        {
            return null;
        }

        return new MonitorRule(name, enabled, condition, [.. also], [.. either], holdFor, clearAfter, severity, action ?? RuleAction.Alert, components, summary ?? (check is null ? name.Replace('_', ' ') : $"check failing: {Events.Redactor.Redact(check.Title)}"), hint)
        {
            Location = table.Location,
            BuiltIn = builtIn,
            Check = check,
            Workflows = watched,
        };
    }

    private static RuleAction? ReadAction(TableReader table)
    {
        var exec = table.Argv("exec");
        var action = table.Choice("action", Actions);
        if (exec is not null)
        {
            if (action is not null)
            {
                table.Problems.Error(table.Entry("exec")!.Value.Location, $"{table.Path}: give `action` or `exec`, not both", "exec = [...] runs the command as the rule's action");
                return null;
            }

            return new RuleAction(RuleActionKind.Exec, exec);
        }

        return action switch
        {
            "stop" => new RuleAction(RuleActionKind.Stop),
            "restart" => new RuleAction(RuleActionKind.Restart),
            _ => RuleAction.Alert,
        };
    }

    private static List<RuleCondition>? ReadConditions(TableReader table, string key)
    {
        if (table.Entry(key) is not { } entry)
        {
            return [];
        }

        if (entry.Value is not TomlArrayNode array || array.Items.Any(i => i is not TomlTableNode))
        {
            table.TypeError(entry.Value, table.Describe(key), "an array of tables such as [{ metric = \"host.gpu_percent\", below = 5 }]");
            return null;
        }

        var conditions = new List<RuleCondition>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var reader = new TableReader((TomlTableNode)array.Items[i], $"{table.Describe(key)}[{i}]", table.Context);
            var condition = ReadCondition(reader, null);
            reader.Finish();
            if (condition is null)
            {
                return null;
            }

            conditions.Add(condition);
        }

        return conditions;
    }

    /// <summary>The keys of one comparison: metric, above or below, the hysteresis, average, if_missing, events.</summary>
    /// <param name="implied">The metric when none is written (a rule with a check reads check_failing_for, above 30s unless told).</param>
    private static RuleCondition? ReadCondition(TableReader table, string? implied)
    {
        var metricName = table.String("metric", required: implied is null) ?? implied;
        var metric = metricName is null ? null : MetricCatalog.Find(metricName);
        if (metricName is not null && metric is null)
        {
            table.Problems.Error(table.Entry("metric")!.Value.Location, $"{table.Describe("metric")}: no metric \"{metricName}\"", DidYouMean.Hint(metricName, [.. MetricCatalog.Names]) ?? "docs/monitor.md lists the metrics");
        }

        var above = table.Entry("above");
        var below = table.Entry("below");
        var clearBelow = table.Entry("clear_below");
        var clearAbove = table.Entry("clear_above");
        var average = table.Duration("average");
        var ifMissing = table.Boolean("if_missing") ?? false;
        var events = table.Subtable("events");
        var window = MonitorWorkflowRules.ReadWindow(table, metric, average);
        if (metric is null || window is { Valid: false })
        {
            return null;
        }

        if (implied is not null && metricName == implied && above is null && below is null)
        {
            // Not the first failure: a check of something still starting fails for a moment (as docker's healthcheck has retries).
            return new RuleCondition(metric.Name, ThresholdDirection.Above, 30, null, average, ifMissing);
        }

        if ((above is null) == (below is null))
        {
            table.Problems.Error(table.Location, $"{table.Path}: give a threshold with `above` or `below` (one of them)", $"e.g. above = {Example(metric.Unit)}");
            return null;
        }

        var direction = above is not null ? ThresholdDirection.Above : ThresholdDirection.Below;
        var wrongClear = direction == ThresholdDirection.Above ? clearAbove : clearBelow;
        if (wrongClear is not null)
        {
            table.Problems.Error(wrongClear.KeyLocation, $"{table.Describe(wrongClear.Key)} does not go with `{(direction == ThresholdDirection.Above ? "above" : "below")}`", direction == ThresholdDirection.Above ? "an `above` alert clears below a lower value: clear_below" : "a `below` alert clears above a higher value: clear_above");
            return null;
        }

        var threshold = Threshold(table, above ?? below!, metric);
        var clearEntry = clearBelow ?? clearAbove;
        var clear = clearEntry is null ? null : Threshold(table, clearEntry, metric);
        if (threshold is null || (clearEntry is not null && clear is null))
        {
            return null;
        }

        if (clear is { } c && (direction == ThresholdDirection.Above ? c > threshold : c < threshold))
        {
            table.Problems.Error(clearEntry!.Value.Location, $"{table.Describe(clearEntry.Key)} must be on the safe side of the threshold ({(direction == ThresholdDirection.Above ? "at most" : "at least")} {Show(threshold.Value, metric.Unit)})");
            return null;
        }

        EventCount? count = null;
        if (metric.Name == MetricCatalog.Events)
        {
            if (events is null)
            {
                table.Problems.Error(table.Location, $"{table.Path}: metric = \"events\" needs `events = {{ kind = \"...\", window = \"1h\" }}` (or last = N)");
                return null;
            }

            count = ReadEventCount(events);
            if (count is null)
            {
                return null;
            }
        }
        else if (events is not null)
        {
            table.Problems.Error(events.Location, $"{table.Describe("events")} only goes with metric = \"events\"");
            return null;
        }

        return new RuleCondition(metric.Name, direction, threshold.Value, clear, average, ifMissing) { Events = count, Window = window?.Span };
    }

    private static EventCount? ReadEventCount(TableReader table)
    {
        var kind = table.String("kind", required: true);
        var where = table.StringMap("where") ?? ValueDictionary.Empty;
        var window = table.Duration("window");
        var last = (int?)table.Integer("last", 1, 1000);
        table.Finish();
        if (kind is not null && EventKinds.Find(kind) is null)
        {
            table.Problems.Error(table.Entry("kind")!.Value.Location, $"{table.Describe("kind")}: no event kind \"{kind}\"", DidYouMean.Hint(kind, [.. EventKinds.All.Select(k => k.Name)]) ?? "docs/events.md lists them");
            return null;
        }

        if (kind is null)
        {
            return null;
        }

        if ((window is null) == (last is null))
        {
            table.Problems.Error(table.Location, $"{table.Path}: count the events in a `window` (\"1h\") or among the `last` N of that kind (one of them)");
            return null;
        }

        if (window is { } w && w <= TimeSpan.Zero)
        {
            table.Problems.Error(table.Entry("window")!.Value.Location, $"{table.Describe("window")} must be longer than 0s");
            return null;
        }

        return new EventCount(kind, where, window, last);
    }

    private static double? Threshold(TableReader table, TomlEntry entry, MetricInfo metric)
    {
        var what = table.Describe(entry.Key);
        switch (metric.Unit, entry.Value)
        {
            case (MetricUnit.Bytes, TomlStringNode text) when Quantities.TryParseSize(table.Context.Interpolate(text), out var bytes):
                return bytes;
            case (MetricUnit.Seconds, TomlStringNode text) when Quantities.TryParseDuration(table.Context.Interpolate(text), out var duration):
                return duration.TotalSeconds;
            case (not MetricUnit.Bytes and not MetricUnit.Seconds, TomlIntegerNode integer):
                return integer.Value;
            case (not MetricUnit.Bytes and not MetricUnit.Seconds, TomlFloatNode number) when double.IsFinite(number.Value):
                return number.Value;
            case (MetricUnit.Bytes or MetricUnit.Seconds, TomlIntegerNode integer) when integer.Value >= 0:
                return integer.Value;
            default:
                table.Problems.Error(entry.Value.Location, $"{what} must be {UnitWords(metric.Unit)} for {metric.Name}", $"e.g. {entry.Key} = {Example(metric.Unit)}");
                return null;
        }
    }

    private static string UnitWords(MetricUnit unit) => unit switch
    {
        MetricUnit.Bytes => "a size such as \"512MB\"",
        MetricUnit.Seconds => "a duration such as \"5m\"",
        MetricUnit.Percent => "a number of percent",
        _ => "a number",
    };

    private static string Example(MetricUnit unit) => unit switch
    {
        MetricUnit.Bytes => "\"512MB\"",
        MetricUnit.Seconds => "\"5m\"",
        MetricUnit.Percent => "90",
        MetricUnit.Ratio => "1.5",
        _ => "3",
    };

    public static string Show(double value, MetricUnit unit) => unit switch
    {
        MetricUnit.Bytes => Quantities.FormatSize((long)value),
        MetricUnit.Seconds => Quantities.FormatDuration(TimeSpan.FromSeconds(value)),
        MetricUnit.Percent => value.ToString("0.#", CultureInfo.InvariantCulture) + " %",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static readonly System.Text.RegularExpressions.Regex RuleName = new("^[A-Za-z][A-Za-z0-9_]*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
