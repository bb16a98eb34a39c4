using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Status;

namespace Tend.Daemon.Monitoring;

/// <summary>The metrics of one sample as rules read them: components from their snapshots and tracks, the host and its disks, averages from the history, counts from the event window, workflows' KPIs from their run records.</summary>
internal sealed class MonitorMetrics(
    StackFile stack,
    IReadOnlyDictionary<string, ComponentSnapshot> snapshots,
    ComponentTracks tracks,
    HostSample host,
    MetricHistory history,
    EventWindow events,
    RuleChecks checks,
    IMetricSource workflows,
    DateTimeOffset now) : IMetricSource
{
    public IEnumerable<RuleSubject> Subjects(MetricSubject kind, MonitorRule rule) => kind switch
    {
        MetricSubject.Host => [RuleSubject.Host],
        MetricSubject.Disk => host.Disks.Select(d => new RuleSubject(d.Mount, null)),
        MetricSubject.Check => [new RuleSubject(rule.Name, null)],
        MetricSubject.Workflow => workflows.Subjects(kind, rule),
        _ => stack.Components.Where(c => rule.AppliesTo(c.Name)).Select(c => RuleSubject.Of(c.Name)),
    };

    public double? Read(RuleCondition condition, RuleSubject subject)
    {
        var kind = MetricCatalog.Find(condition.Metric)?.Subject;
        if (kind == MetricSubject.Workflow)
        {
            return workflows.Read(condition, subject);
        }

        var owner = kind == MetricSubject.Host ? RuleSubject.Host : subject;
        if (condition.Average is { } window)
        {
            return history.Average(owner.Name, condition.Metric, window, now);
        }

        if (condition.Events is { } count)
        {
            return subject.Component is { } component ? events.Count(count, component, now) : null;
        }

        return Value(condition.Metric, owner);
    }

    /// <summary>The metric's value now on a subject; null when it has none.</summary>
    public double? Value(string metric, RuleSubject subject)
    {
        switch (metric)
        {
            case MetricCatalog.HostLoad: return host.Load1;
            case MetricCatalog.HostCpuPercent: return host.CpuPercent;
            case MetricCatalog.HostMemoryAvailable: return host.MemoryAvailableBytes;
            case MetricCatalog.HostMemoryUsedPercent: return host.MemoryUsedPercent;
            case MetricCatalog.HostGpuPercent: return host.Gpus?.Max(g => g.UtilizationPercent);
            case MetricCatalog.HostGpuMemoryUsedPercent: return host.Gpus?.Max(g => g.MemoryUsedPercent);
            case MetricCatalog.DiskUsedPercent: return host.Disks.FirstOrDefault(d => d.Mount == subject.Name)?.UsedPercent;
            case MetricCatalog.DiskFreeBytes: return host.Disks.FirstOrDefault(d => d.Mount == subject.Name)?.FreeBytes;
            case MetricCatalog.CheckFailingFor: return checks.FailingFor(subject.Name, now);
        }

        if (subject.Component is not { } name || !snapshots.TryGetValue(name, out var snapshot))
        {
            return null;
        }

        var track = tracks[name];
        return metric switch
        {
            MetricCatalog.CpuPercent => snapshot.Usage?.CpuPercent,
            MetricCatalog.MemoryBytes => snapshot.Usage?.MemoryBytes,
            MetricCatalog.Processes => snapshot.Usage?.Processes,
            MetricCatalog.OutputLines => track.LinesInInterval,
            MetricCatalog.OutputBytes => track.BytesInInterval,
            MetricCatalog.OutputIdle => track.LastOutputAt is { } last ? Math.Max(0, (now - last).TotalSeconds) : null,
            MetricCatalog.UnhealthyFor => snapshot.Health is null || snapshot.Pid is null ? null : track.UnhealthySince is { } since ? (now - since).TotalSeconds : 0,
            MetricCatalog.ThrottledFor => snapshot.Rounds is null ? null : track.ThrottledSince is { } throttled ? (now - throttled).TotalSeconds : 0,
            MetricCatalog.RoundOverrun => snapshot.Rounds is { InRound: true, RoundStartedAt: { } started } && stack.Find(name)?.Rounds is { } rounds
                ? (now - started).TotalSeconds / rounds.Timeout.TotalSeconds
                : null,
            _ => null,
        };
    }
}
