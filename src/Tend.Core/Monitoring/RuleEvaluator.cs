using System.Globalization;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Monitoring;

/// <summary>Reads every active rule on every subject it concerns. Pure: the metrics come from <see cref="IMetricSource"/>.</summary>
public static class RuleEvaluator
{
    public static List<RuleReading> Read(IEnumerable<MonitorRule> rules, IMetricSource source)
    {
        var readings = new List<RuleReading>();
        foreach (var rule in rules)
        {
            var kind = MetricCatalog.Find(rule.Condition.Metric)?.Subject ?? MetricSubject.Component;
            foreach (var subject in source.Subjects(kind, rule))
            {
                readings.Add(Read(rule, subject, source));
            }
        }

        return readings;
    }

    public static RuleReading Read(MonitorRule rule, RuleSubject subject, IMetricSource source)
    {
        var values = new double?[1 + rule.Also.Count + rule.Either.Count];
        var (value, holds, cleared) = Evaluate(rule.Condition, subject, source);
        values[0] = value;
        var i = 1;
        if (rule.Also.Count > 0)
        {
            // All must hold; any one back on its safe side clears.
            foreach (var extra in rule.Also)
            {
                var (extraValue, extraHolds, extraCleared) = Evaluate(extra, subject, source);
                values[i++] = extraValue;
                holds &= extraHolds;
                cleared |= extraCleared;
            }
        }
        else if (rule.Either.Count > 0)
        {
            // One is enough; all must be back on their safe side to clear.
            foreach (var extra in rule.Either)
            {
                var (extraValue, extraHolds, extraCleared) = Evaluate(extra, subject, source);
                values[i++] = extraValue;
                holds |= extraHolds;
                cleared &= extraCleared;
            }
        }

        return new RuleReading(rule, subject, holds, cleared && !holds, value, values);
    }

    private static (double? Value, bool Holds, bool Cleared) Evaluate(RuleCondition condition, RuleSubject subject, IMetricSource source) =>
        source.Read(condition, subject) is { } v ? (v, condition.Holds(v), condition.Cleared(v)) : (null, condition.IfMissing, !condition.IfMissing);

    /// <summary>The metric as people read it: <c>events round_ended (bucket=auth) in the last 10</c>, <c>host.cpu_percent averaged over 5m</c>.</summary>
    public static string Describe(RuleCondition condition)
    {
        if (condition.Events is { } count)
        {
            var where = count.Where.Count == 0 ? "" : $" with {string.Join(", ", count.Where.Select(p => $"{p.Key}={p.Value}"))}";
            var span = count.Last is { } last ? $"among the last {last}" : $"in {Quantities.FormatDuration(count.Window!.Value)}";
            return $"{count.Kind} events{where} {span}";
        }

        if (MetricCatalog.Find(condition.Metric)?.Subject == MetricSubject.Workflow)
        {
            return $"{condition.Metric} over the runs of {Quantities.FormatDuration(condition.Window ?? MetricCatalog.WorkflowWindow)}";
        }

        return condition.Average is { } average ? $"{condition.Metric} averaged over {Quantities.FormatDuration(average)}" : condition.Metric;
    }

    public static string Show(RuleCondition condition, double value) =>
        MetricCatalog.Find(condition.Metric)?.Unit switch
        {
            MetricUnit.Bytes => Quantities.FormatSize((long)value),
            MetricUnit.Seconds => Quantities.FormatDuration(TimeSpan.FromSeconds(Math.Round(value))),
            MetricUnit.Percent => value.ToString("0.#", CultureInfo.InvariantCulture) + " %",
            _ => value.ToString("0.##", CultureInfo.InvariantCulture),
        };
}
