using Tend.Core.Model;
using Tend.Core.Monitoring;

namespace Tend.Core.Metrics;

/// <summary>
/// A monitor condition on a workflow's KPIs as PromQL over the <c>tend_workflow_*</c> families: the
/// rates as increases of the run and artifact counters over the condition's window, the p95 from the
/// run duration histogram. The monitor counts the runs that <em>started</em> in the window, Prometheus
/// those it saw end in it; the thresholds are the same.
/// </summary>
public static class WorkflowExpression
{
    private const string Ended = "outcome=~\"succeeded|failed|stopped\"";

    public static ConditionExpression Of(RuleCondition condition, MonitorRule rule, string compare)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(rule);
        var select = WorkflowMatcher(rule);
        var window = RuleExpression.Duration(condition.Window ?? MetricCatalog.WorkflowWindow);
        string Increase(string family, string matchers) =>
            $"sum by (workflow) (increase({family}{{{string.Join(',', new[] { select, matchers }.Where(m => m.Length > 0))}}}[{window}]))";
        var expr = condition.Metric switch
        {
            MetricCatalog.WorkflowSuccessPercent => $"100 * {Increase(ExposedMetrics.WorkflowRuns.Name, "outcome=\"succeeded\"")} / {Increase(ExposedMetrics.WorkflowRuns.Name, Ended)}{compare}",
            MetricCatalog.WorkflowArtifactSuccessPercent => $"100 * {Increase(ExposedMetrics.WorkflowArtifacts.Name, "result=\"ok\"")} / {Increase(ExposedMetrics.WorkflowArtifacts.Name, "")}{compare}",
            MetricCatalog.WorkflowRuns => $"{Increase(ExposedMetrics.WorkflowRuns.Name, Ended)}{compare}",
            _ => $"histogram_quantile(0.95, sum by (workflow, le) (increase({ExposedMetrics.WorkflowRunDuration.Name}_bucket{(select.Length > 0 ? $"{{{select}}}" : "")}[{window}]))){compare}",
        };
        var why = condition.Metric == MetricCatalog.WorkflowCompletionP95
            ? "the p95 is interpolated within the duration histogram's buckets, where the monitor takes the nearest rank of the runs' durations"
            : null;
        return new ConditionExpression(expr, ExpressionScope.Workflow, TimeSpan.Zero, why);
    }

    /// <summary>The workflows a rule watches, as a matcher; empty for all.</summary>
    private static string WorkflowMatcher(MonitorRule rule) => rule.Workflows.Count switch
    {
        0 => "",
        1 => $"workflow=\"{Quote(rule.Workflows[0])}\"",
        _ => $"workflow=~\"{Quote(string.Join('|', rule.Workflows.Select(System.Text.RegularExpressions.Regex.Escape)))}\"",
    };

    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
