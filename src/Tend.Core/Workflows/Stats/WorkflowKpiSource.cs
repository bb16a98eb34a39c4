using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// The workflow metrics of the monitor (<c>workflow.success_percent</c>, ...) from run records, as
/// <see cref="WorkflowStatistics"/> computes them for `tend workflow stats`: the same numbers in both.
/// A rule's subjects are the workflows it names, or else every workflow of the stack and every one
/// that has runs here (a YAML file run by its path). One instance reads one sample.
/// </summary>
/// <param name="declared">The stack's <c>[workflows.NAME]</c>.</param>
public sealed class WorkflowKpiSource(IReadOnlyList<RunRecord> records, IEnumerable<string> declared, DateTimeOffset now) : IMetricSource
{
    private readonly Dictionary<(string Workflow, TimeSpan Window), WorkflowStats> _stats = [];
    private List<string>? _all;

    public IEnumerable<RuleSubject> Subjects(MetricSubject kind, MonitorRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (kind != MetricSubject.Workflow)
        {
            return [];
        }

        _all ??= [.. declared.Concat(records.Select(r => r.Workflow)).Distinct(StringComparer.Ordinal)];
        return (rule.Workflows.Count > 0 ? (IEnumerable<string>)rule.Workflows : _all).Select(w => new RuleSubject(w, null));
    }

    public double? Read(RuleCondition condition, RuleSubject subject)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(subject);
        var window = condition.Window ?? MetricCatalog.WorkflowWindow;
        if (!_stats.TryGetValue((subject.Name, window), out var stats))
        {
            _stats[(subject.Name, window)] = stats = WorkflowStatistics.Compute(subject.Name, records, now, window);
        }

        return condition.Metric switch
        {
            MetricCatalog.WorkflowSuccessPercent => stats.SuccessPercent,
            MetricCatalog.WorkflowCompletionP95 => stats.DurationP95Seconds,
            MetricCatalog.WorkflowArtifactSuccessPercent => stats.ArtifactSuccessPercent,
            MetricCatalog.WorkflowRuns => stats.Ended,
            _ => null,
        };
    }
}
