using System.Text;
using Tend.Core.Model;

namespace Tend.Core.Metrics;

/// <summary>
/// `tend metrics rules`: the stack's monitor rules (the built-ins as the stack file changed them,
/// then its own, as <see cref="MonitorPolicy.Rules"/> holds them) as a Prometheus alerting rules
/// file over tend's metrics. A rule, or a part of one, with no equivalent is written as a comment
/// that says why, never left out silently; so is a rule the stack switched off.
/// </summary>
public static class AlertRulesFile
{
    public static AlertRules Write(StackFile stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var policy = stack.Monitor;
        var text = new StringBuilder();
        text.Append("# Prometheus alerting rules equivalent to the monitor rules of the stack ").Append(OneLine(stack.Name)).Append('\n')
            .Append("# (").Append(OneLine(stack.Path)).Append("), written by `tend metrics rules` over the metrics of `tend metrics`\n")
            .Append("# and GET /metrics (docs/metrics.md). tend's monitor acts on its own alerts (stop, restart, exec);\n")
            .Append("# these only alert. Check them with `promtool check rules FILE`.\n")
            .Append("groups:\n")
            .Append("  - name: ").Append(Quote($"tend-{stack.Name}")).Append('\n');
        var rules = new StringBuilder();
        var written = 0;
        var without = 0;
        foreach (var rule in policy.Rules)
        {
            if (!rule.Enabled)
            {
                rules.Append("      # ").Append(OneLine(rule.Name)).Append(": switched off in this stack (enabled = false), so not written\n");
                continue;
            }

            if (Translate(rule, policy.Interval) is not { } translated)
            {
                continue;
            }

            foreach (var note in translated.Notes)
            {
                rules.Append("      # ").Append(OneLine(rule.Name)).Append(": ").Append(OneLine(note)).Append('\n');
            }

            if (translated.Expr is null)
            {
                without++;
                continue;
            }

            written++;
            rules.Append("      - alert: ").Append(AlertName(rule.Name)).Append('\n')
                .Append("        expr: ").Append(Quote(translated.Expr)).Append('\n');
            if (translated.For > TimeSpan.Zero)
            {
                rules.Append("        for: ").Append(RuleExpression.Duration(translated.For)).Append('\n');
            }

            if (rule.ClearAfter > TimeSpan.Zero)
            {
                rules.Append("        keep_firing_for: ").Append(RuleExpression.Duration(rule.ClearAfter)).Append('\n');
            }

            rules.Append("        labels:\n")
                .Append("          severity: ").Append(Severity(rule.Severity)).Append('\n')
                .Append("          rule: ").Append(Quote(rule.Name)).Append('\n')
                .Append("        annotations:\n")
                .Append("          summary: ").Append(Quote(Template(rule.Summary, translated.Scope))).Append('\n');
            if (rule.Hint is { } hint)
            {
                rules.Append("          description: ").Append(Quote(Template(hint, translated.Scope))).Append('\n');
            }

            if (rule.Action.Kind != RuleActionKind.Alert)
            {
                rules.Append("          tend_action: ").Append(Quote(rule.Action.Name)).Append('\n');
            }
        }

        // A list of nothing but comments would be null, which is not a list of rules.
        text.Append(written == 0 ? "    rules: []\n" : "    rules:\n").Append(rules);
        return new AlertRules(text.ToString(), written, without, policy.Rules.Count(r => !r.Enabled));
    }

    /// <summary>A rule's conditions joined as the monitor joins them: all of <c>also</c>, any of <c>either</c>.</summary>
    private static Translated? Translate(MonitorRule rule, TimeSpan interval)
    {
        var notes = new List<string>();
        var main = RuleExpression.Of(rule.Condition, rule, interval);
        if (main.Expr is null)
        {
            notes.Add($"no Prometheus equivalent: {main.Why}");
            return new Translated(null, main.Scope, TimeSpan.Zero, notes);
        }

        if (main.Why is { } inexact)
        {
            notes.Add(inexact);
        }

        var expr = main.Expr;
        var joined = false;
        var extraFor = main.ExtraFor;
        foreach (var (conditions, word, joiner) in new[] { (rule.Also, "also", "and"), (rule.Either, "either", "or") })
        {
            foreach (var condition in conditions)
            {
                var other = RuleExpression.Of(condition, rule, interval);
                if (other.Expr is null)
                {
                    notes.Add($"its {word} condition on {condition.Metric} is left out: {other.Why}");
                    continue;
                }

                var part = $"({other.Expr})";
                if (condition.IfMissing)
                {
                    if (other.Scope == ExpressionScope.Host)
                    {
                        part = $"({part} or on() absent({FirstMetric(other.Expr)}))";
                    }
                    else
                    {
                        notes.Add($"its {word} condition on {condition.Metric} counts as not holding where the metric is absent (if_missing is kept for host metrics only)");
                    }
                }

                // The monitor takes `also` or `either`, never both: no precedence to mind.
                expr = $"{(joined ? expr : $"({expr})")} {joiner} {On(main.Scope, other.Scope)}{part}";
                joined = true;
                extraFor = extraFor > other.ExtraFor ? extraFor : other.ExtraFor;
            }
        }

        foreach (var condition in (RuleCondition[])[rule.Condition, .. rule.Also, .. rule.Either])
        {
            if (condition.Clear is { } clear && clear != condition.Threshold)
            {
                notes.Add($"tend resolves it only once {condition.Metric} is back {(condition.Direction == ThresholdDirection.Above ? "below" : "above")} {RuleExpression.Number(clear)}; Prometheus resolves it as soon as the expression stops holding");
            }
        }

        return new Translated(expr, main.Scope, rule.For + extraFor, notes);
    }

    /// <summary>How two conditions match: by component or mount when both are about one, else one side is the host's single series.</summary>
    private static string On(ExpressionScope left, ExpressionScope right) => (left, right) switch
    {
        (ExpressionScope.Component, ExpressionScope.Component) => "on(component) ",
        (ExpressionScope.Disk, ExpressionScope.Disk) => "on(mount) ",
        (ExpressionScope.Workflow, ExpressionScope.Workflow) => "on(workflow) ",
        _ => "on() ",
    };

    private static string FirstMetric(string expr)
    {
        var start = expr.IndexOf("tend_", StringComparison.Ordinal);
        var end = start;
        while (end < expr.Length && (char.IsAsciiLetterOrDigit(expr[end]) || expr[end] == '_'))
        {
            end++;
        }

        return expr[start..end];
    }

    /// <summary>The monitor's <c>{component}</c> and <c>{subject}</c> as Prometheus' templates; any other brace kept as text.</summary>
    private static string Template(string text, ExpressionScope scope)
    {
        var escaped = text.Replace("{{", "{{ \"{{\" }}", StringComparison.Ordinal);
        var subject = scope switch
        {
            ExpressionScope.Component => "{{ $labels.component }}",
            ExpressionScope.Disk => "{{ $labels.mount }}",
            ExpressionScope.Workflow => "{{ $labels.workflow }}",
            _ => "the host",
        };
        return escaped.Replace("{component}", "{{ $labels.component }}", StringComparison.Ordinal).Replace("{subject}", subject, StringComparison.Ordinal);
    }

    /// <summary>A name Prometheus takes for an alert (a metric name's characters); the rule's own name is in the <c>rule</c> label.</summary>
    private static string AlertName(string rule)
    {
        var name = new StringBuilder(rule.Length);
        foreach (var c in rule)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? $"_{name}" : name.ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => quoted.Append("\\\\"),
                '"' => quoted.Append("\\\""),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                _ when char.IsControl(c) => quoted.Append($"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        _ => "critical",
    };

    private sealed record Translated(string? Expr, ExpressionScope Scope, TimeSpan For, IReadOnlyList<string> Notes);
}

/// <summary>A rules file and what went into it.</summary>
/// <param name="Alerts">Alerting rules written.</param>
/// <param name="WithoutEquivalent">Enabled monitor rules written as a comment: no PromQL over tend's metrics says the same.</param>
/// <param name="Disabled">Monitor rules the stack switched off, named in a comment.</param>
public sealed record AlertRules(string Yaml, int Alerts, int WithoutEquivalent, int Disabled);
