using Tend.Core.Model;

namespace Tend.Core.Monitoring;

/// <summary>Where rules read their metrics: the daemon's latest samples, their history and the recent events.</summary>
public interface IMetricSource
{
    /// <summary>The subjects a rule on a metric of this kind is evaluated for: components (those it applies to), the host, the filesystems.</summary>
    IEnumerable<RuleSubject> Subjects(MetricSubject kind, MonitorRule rule);

    /// <summary>The condition's value on a subject (its average, or its count of events, when it asks for one); null when the subject has no such value now.</summary>
    double? Read(RuleCondition condition, RuleSubject subject);
}

/// <param name="Name">The component's name, <c>host</c>, or a filesystem's mount point.</param>
/// <param name="Component">The component, when the subject is one.</param>
public sealed record RuleSubject(string Name, string? Component)
{
    public static readonly RuleSubject Host = new("host", null);

    public static RuleSubject Of(string component) => new(component, component);
}
