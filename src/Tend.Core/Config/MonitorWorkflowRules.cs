using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// The keys of a monitor rule on a workflow's KPIs (<c>metric = "workflow.success_percent"</c>):
/// <c>window</c> on a condition, <c>workflows</c> on the rule, which must name workflows of the stack.
/// </summary>
internal static class MonitorWorkflowRules
{
    /// <summary>A condition's <c>window</c>: only for workflow metrics, longer than 0s.</summary>
    public readonly record struct ConditionWindow(TimeSpan? Span, bool Valid);

    public static ConditionWindow? ReadWindow(TableReader table, MetricInfo? metric, TimeSpan? average)
    {
        var window = table.Duration("window");
        var isWorkflow = metric?.Subject == MetricSubject.Workflow;
        if (window is not null && metric is not null && !isWorkflow)
        {
            table.Problems.Error(table.Entry("window")!.Value.Location, $"{table.Describe("window")} goes with workflow metrics only", metric.Name == MetricCatalog.Events ? "events count in a window with events = { kind = \"...\", window = \"1h\" }" : "average = \"5m\" compares the mean over a trailing window");
            return new ConditionWindow(null, false);
        }

        if (isWorkflow && average is not null)
        {
            table.Problems.Error(table.Entry("average")!.Value.Location, $"{table.Describe("average")} does not go with {metric!.Name}: a KPI is already over the runs of a window", "window = \"1d\" takes the runs that started in the last day");
            return new ConditionWindow(null, false);
        }

        if (window is { } w && w <= TimeSpan.Zero)
        {
            table.Problems.Error(table.Entry("window")!.Value.Location, $"{table.Describe("window")} must be longer than 0s");
            return new ConditionWindow(null, false);
        }

        return window is null ? null : new ConditionWindow(window, true);
    }

    /// <summary>
    /// A rule on a workflow metric names workflows of the stack (or none, for all), and alerts or
    /// runs a command: stop and restart act on components. <c>workflows</c> goes with such rules only.
    /// </summary>
    public static bool Check(TableReader table, RuleCondition condition, IReadOnlyList<string> components, IReadOnlyList<string> watched, RuleAction? action, IReadOnlyCollection<string>? workflows)
    {
        var isWorkflow = MetricCatalog.Find(condition.Metric)?.Subject == MetricSubject.Workflow;
        if (!isWorkflow)
        {
            if (watched.Count > 0)
            {
                table.Problems.Error(table.Entry("workflows")!.Value.Location, $"{table.Describe("workflows")} goes with workflow metrics only (workflow.success_percent, ...)", "components = [...] says which components a rule applies to");
                return false;
            }

            return true;
        }

        if (components.Count > 0)
        {
            table.Problems.Error(table.Entry("components")!.Value.Location, $"{table.Describe("components")} does not go with {condition.Metric}: name the workflows it watches", "workflows = [\"...\"]");
            return false;
        }

        if (action?.Kind is RuleActionKind.Stop or RuleActionKind.Restart)
        {
            table.Problems.Error(table.Entry("action")!.Value.Location, $"{table.Describe("action")} = \"{action.Name}\" acts on components, and {condition.Metric} is about a workflow", "a workflow rule alerts (the default) or runs a command: exec = [...]");
            return false;
        }

        if (workflows is null)
        {
            return true;
        }

        foreach (var name in watched.Where(n => !workflows.Contains(n)))
        {
            table.Problems.Error(
                table.Entry("workflows")!.Value.Location,
                $"{table.Describe("workflows")}: '{name}' is not a workflow of this stack",
                DidYouMean.Hint(name, [.. workflows]) ?? (workflows.Count == 0 ? "the stack has no [workflows.NAME] table; a rule that names no workflows watches every workflow that has run here" : $"its workflows are: {string.Join(", ", workflows)}"));
            return false;
        }

        return true;
    }
}
