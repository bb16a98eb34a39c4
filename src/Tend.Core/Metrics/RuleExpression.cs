using System.Globalization;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Monitoring;

namespace Tend.Core.Metrics;

/// <summary>What a condition is about, so that two of them join on the right labels.</summary>
public enum ExpressionScope
{
    Component,
    Host,
    Disk,
    Workflow,
}

/// <summary>A monitor condition as PromQL over tend's own families, or why it has none.</summary>
/// <param name="Expr">Holds where the condition holds; null when there is no equivalent.</param>
/// <param name="ExtraFor">How long the PromQL must hold on top of the rule's <c>for</c>: a "failing for 5m" metric becomes "failing" held 5m.</param>
/// <param name="Why">Why there is no equivalent (or what it leaves out); null when it is exact.</param>
public sealed record ConditionExpression(string? Expr, ExpressionScope Scope, TimeSpan ExtraFor, string? Why);

/// <summary>
/// Turns one monitor condition into PromQL over the families of <see cref="ExposedMetrics"/>. The
/// thresholds stay in the monitor's units (percent, bytes, seconds), so an expression reads as its
/// rule does: <c>tend_host_disk_used_ratio * 100 &gt; 90</c> for <c>disk_used_percent above 90</c>.
/// </summary>
public static class RuleExpression
{
    /// <summary>The window of a rate where the rule averages over none: four samples of a 15 s scrape.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    public static ConditionExpression Of(RuleCondition condition, MonitorRule rule, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(rule);
        var select = ComponentMatcher(rule);
        var compare = $" {(condition.Direction == ThresholdDirection.Above ? ">" : "<")} {Number(condition.Threshold)}";
        var above = condition.Direction == ThresholdDirection.Above;
        var window = condition.Average ?? RateWindow;
        var perInterval = Number(interval.TotalSeconds);
        return condition.Metric switch
        {
            MetricCatalog.CpuPercent => Component($"rate(tend_component_cpu_seconds_total{Braces(select)}[{Duration(window)}]) * 100{compare}"),
            MetricCatalog.MemoryBytes => Component($"{Averaged("tend_component_resident_memory_bytes", select, condition.Average)}{compare}"),
            MetricCatalog.Processes => Component($"{Averaged("tend_component_processes", select, condition.Average)}{compare}"),
            MetricCatalog.OutputLines => Component($"rate(tend_log_lines_total{Braces(select)}[{Duration(window)}]) * {perInterval}{compare}"),
            MetricCatalog.OutputBytes => Component($"rate(tend_log_bytes_total{Braces(select)}[{Duration(window)}]) * {perInterval}{compare}"),
            MetricCatalog.OutputIdle when above => Component($"increase(tend_log_lines_total{Braces(select)}[{Duration(TimeSpan.FromSeconds(condition.Threshold))}]) == 0 and on(component) tend_component_processes{Braces(select)} > 0"),
            MetricCatalog.UnhealthyFor when above => Held($"tend_component_health{Braces(select, "state=\"failing\"")} == 1", condition.Threshold),
            MetricCatalog.ThrottledFor when above => Held($"tend_component_state{Braces(select, "state=\"throttled\"")} == 1", condition.Threshold),
            MetricCatalog.RoundOverrun => Component($"(time() - tend_round_start_time_seconds{Braces(select)}) / on(component) tend_round_timeout_seconds{compare}"),
            MetricCatalog.Events => EventCount(condition, select, compare),
            MetricCatalog.HostLoad => Host($"{Averaged("tend_host_load1", "", condition.Average)}{compare}"),
            MetricCatalog.HostCpuPercent => Host($"{Averaged("tend_host_cpu_usage_ratio", "", condition.Average)} * 100{compare}"),
            MetricCatalog.HostMemoryAvailable => Host($"{Averaged("tend_host_memory_available_bytes", "", condition.Average)}{compare}"),
            MetricCatalog.HostMemoryUsedPercent => Host($"(1 - {Averaged("tend_host_memory_available_bytes", "", condition.Average)} / tend_host_memory_total_bytes) * 100{compare}"),
            MetricCatalog.HostGpuPercent => Host($"max({Averaged("tend_host_gpu_utilization_ratio", "", condition.Average)}) * 100{compare}"),
            MetricCatalog.HostGpuMemoryUsedPercent => Host($"max(tend_host_gpu_memory_used_bytes / tend_host_gpu_memory_total_bytes) * 100{compare}"),
            MetricCatalog.DiskUsedPercent => new($"{Averaged("tend_host_disk_used_ratio", "", condition.Average)} * 100{compare}", ExpressionScope.Disk, TimeSpan.Zero, null),
            MetricCatalog.DiskFreeBytes => new($"{Averaged("tend_host_disk_free_bytes", "", condition.Average)}{compare}", ExpressionScope.Disk, TimeSpan.Zero, null),
            MetricCatalog.WorkflowSuccessPercent or MetricCatalog.WorkflowCompletionP95 or MetricCatalog.WorkflowArtifactSuccessPercent or MetricCatalog.WorkflowRuns => WorkflowExpression.Of(condition, rule, compare),
            MetricCatalog.CheckFailingFor => None(rule.Check is { } check
                ? $"the monitor runs its own {check.Kind} check of {check.Target}, which tend exposes no metric of; Prometheus' blackbox_exporter probes the same target"
                : "the monitor runs a check of its own, which tend exposes no metric of"),
            _ => None($"{condition.Metric} {(above ? "above" : "below")} a threshold has no equivalent over tend's metrics"),
        };
    }

    /// <summary>The events a rule counts, over the counters that count the same ones for each component.</summary>
    private static ConditionExpression EventCount(RuleCondition condition, string select, string compare)
    {
        if (condition.Events is not { } events)
        {
            return None("it counts events but does not say which");
        }

        if (events.Last is { } last)
        {
            return None($"it counts among a component's last {last} {events.Kind} events; PromQL counts over a time window, not over the last N events");
        }

        var window = Duration(events.Window ?? TimeSpan.FromHours(1));
        if (events.Kind == EventKinds.RestartScheduled.Name && events.Where.Count == 0)
        {
            // restart_scheduled is written for the restarts a run's end caused, not for those asked for.
            return Component($"sum by (component) (increase(tend_component_restarts_total{Braces(select, "reason=~\"exit|signal|liveness\"")}[{window}])){compare}");
        }

        if (events.Kind == EventKinds.Rounds.RoundEnded.Name && events.Where.Count == 1 && events.Where.TryGetValue("outcome", out var outcome) && RoundOutcomes.IndexOf(outcome) >= 0)
        {
            return Component($"increase(tend_rounds_total{Braces(select, $"outcome=\"{outcome}\"")}[{window}]){compare}");
        }

        var where = events.Where.Count == 0 ? "" : $" with {string.Join(", ", events.Where.Select(w => $"{w.Key}={w.Value}"))}";
        return None($"it counts {events.Kind} events{where} of each component; tend counts events by kind for the whole stack only (tend_events_total), not by component or field");
    }

    private static ConditionExpression Component(string expr) => new(expr, ExpressionScope.Component, TimeSpan.Zero, null);

    private static ConditionExpression Host(string expr) => new(expr, ExpressionScope.Host, TimeSpan.Zero, null);

    private static ConditionExpression Held(string expr, double seconds) => new(expr, ExpressionScope.Component, TimeSpan.FromSeconds(seconds), null);

    private static ConditionExpression None(string why) => new(null, ExpressionScope.Component, TimeSpan.Zero, why);

    /// <summary>The gauge, or its mean over the rule's <c>average</c> window.</summary>
    private static string Averaged(string metric, string matchers, TimeSpan? average) =>
        average is { } window ? $"avg_over_time({metric}{Braces(matchers)}[{Duration(window)}])" : $"{metric}{Braces(matchers)}";

    /// <summary>The components a component rule applies to, as a matcher; empty for all.</summary>
    private static string ComponentMatcher(MonitorRule rule) => rule.Components.Count switch
    {
        0 => "",
        1 => $"component=\"{Quote(rule.Components[0])}\"",
        _ => $"component=~\"{Quote(string.Join('|', rule.Components.Select(System.Text.RegularExpressions.Regex.Escape)))}\"",
    };

    private static string Braces(params string[] matchers) =>
        matchers.Where(m => m.Length > 0).ToList() is { Count: > 0 } given ? $"{{{string.Join(',', given)}}}" : "";

    /// <summary>A PromQL string's content: backslash and double quote escaped.</summary>
    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A duration as PromQL and Prometheus' rule files write one: <c>1h</c>, <c>5m</c>, <c>90s</c>, <c>1500ms</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        var ms = (long)Math.Round(duration.TotalMilliseconds);
        return ms switch
        {
            <= 0 => "0s",
            _ when ms % 3_600_000 == 0 => $"{ms / 3_600_000}h",
            _ when ms % 60_000 == 0 => $"{ms / 60_000}m",
            _ when ms % 1000 == 0 => $"{ms / 1000}s",
            _ => $"{ms}ms",
        };
    }
}
