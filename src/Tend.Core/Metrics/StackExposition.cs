using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Metrics;

/// <summary>
/// The stack at one moment as Prometheus families (<see cref="ExposedMetrics"/>): the snapshot for
/// states, health, runs and usage, the daemon's counters for what only grows, the host's sample.
/// Label values come from bounded sets only: the stack's components and rules, the fixed lists of
/// states, reasons, outcomes and event kinds, the watched mounts and the GPUs' indexes.
/// </summary>
public static partial class StackExposition
{
    /// <summary>
    /// The most series one component can have: a service with a probe has 1 up, 15 states, 3
    /// health, 8 probe histogram, 5 restarts and 8 more gauges and counters (40); rounds add 6
    /// outcomes and 4 gauges. No family has more than 20 for a component (the states: 15).
    /// </summary>
    public const int MaxSeriesPerComponent = 50;

    public static string Write(StackSnapshot snapshot, StackFile stack, StackCounts counts, string version)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(counts);
        var writer = new ExpositionWriter(2048 + (snapshot.Components.Count * 3000));
        var definitions = new Dictionary<string, Component>(StringComparer.Ordinal);
        foreach (var component in stack.Components)
        {
            definitions[component.Name] = component;
        }

        var components = new List<(ComponentSnapshot Now, Component? Definition, ComponentCounts Counts, Label Label)>(snapshot.Components.Count);
        foreach (var now in snapshot.Components)
        {
            components.Add((now, definitions.GetValueOrDefault(now.Name), counts.Of(now.Name), new Label("component", now.Name)));
        }

        WriteDaemon(writer, snapshot, counts, version);
        WriteAlerts(writer, snapshot, stack);
        WriteComponents(writer, components);
        WriteRounds(writer, components);
        WriteHost(writer, snapshot.Host);
        WriteWorkflows(writer, stack.StateDirectory);
        return writer.ToString();
    }

    private static void WriteDaemon(ExpositionWriter writer, StackSnapshot snapshot, StackCounts counts, string version)
    {
        Family(writer, ExposedMetrics.BuildInfo);
        writer.Sample(ExposedMetrics.BuildInfo.Name, 1L, new Label("version", version));
        Family(writer, ExposedMetrics.DaemonStart);
        writer.Sample(ExposedMetrics.DaemonStart.Name, Seconds(snapshot.DaemonStartedAt));
        Family(writer, ExposedMetrics.ScrapeDuration);
        writer.Sample(ExposedMetrics.ScrapeDuration.Name, counts.LastScrapeSeconds ?? 0);
        Family(writer, ExposedMetrics.Events);
        var kinds = EventKinds.All;
        for (var i = 0; i < kinds.Count; i++)
        {
            writer.Sample(ExposedMetrics.Events.Name, i < counts.EventsByKind.Count ? counts.EventsByKind[i] : 0, new Label("kind", kinds[i].Name));
        }
    }

    /// <summary>Every enabled rule, firing or not, so that an alert's end is a 0 and not a series that vanished; and any alert firing under a rule since removed.</summary>
    private static void WriteAlerts(ExpositionWriter writer, StackSnapshot snapshot, StackFile stack)
    {
        var firing = new Dictionary<(string Rule, string Severity), long>();
        foreach (var rule in stack.Monitor.Active)
        {
            firing.TryAdd((rule.Name, Severity(rule.Severity)), 0);
        }

        foreach (var alert in snapshot.Alerts ?? [])
        {
            if (alert.Firing)
            {
                var key = (alert.Rule, alert.SeverityName);
                firing[key] = firing.GetValueOrDefault(key) + 1;
            }
        }

        if (firing.Count == 0)
        {
            return;
        }

        Family(writer, ExposedMetrics.AlertsFiring);
        foreach (var ((rule, severity), count) in firing)
        {
            writer.Sample(ExposedMetrics.AlertsFiring.Name, count, new Label("rule", rule), new Label("severity", severity));
        }
    }

    private static void WriteComponents(ExpositionWriter writer, List<(ComponentSnapshot Now, Component? Definition, ComponentCounts Counts, Label Label)> components)
    {
        Family(writer, ExposedMetrics.Up);
        foreach (var (now, _, _, label) in components)
        {
            writer.Sample(ExposedMetrics.Up.Name, now.Verdict.IsUp ? 1L : 0L, label);
        }

        Family(writer, ExposedMetrics.State);
        foreach (var (now, _, _, label) in components)
        {
            for (var i = 0; i < ComponentStates.Names.Count; i++)
            {
                writer.Sample(ExposedMetrics.State.Name, (int)now.State == i ? 1L : 0L, label, new Label("state", ComponentStates.Names[i]));
            }
        }

        var probed = components.Where(c => c.Definition?.Health is not null).ToList();
        if (probed.Count > 0)
        {
            Family(writer, ExposedMetrics.Health);
            foreach (var (now, _, _, label) in probed)
            {
                for (var i = 0; i < ComponentStates.HealthNames.Count; i++)
                {
                    writer.Sample(ExposedMetrics.Health.Name, now.Health is { } health && (int)health == i ? 1L : 0L, label, new Label("state", ComponentStates.HealthNames[i]));
                }
            }

            Family(writer, ExposedMetrics.ProbeDuration);
            foreach (var (_, _, counts, label) in probed)
            {
                writer.Histogram(ExposedMetrics.ProbeDuration.Name, HistogramCounts.ProbeBounds, counts.Probe.Counts, counts.Probe.Sum, label);
            }
        }

        // An external component is never started: no runs, restarts, usage or output.
        var run = components.Where(c => c.Now.Kind != ComponentKind.External).ToList();
        if (run.Count == 0)
        {
            return;
        }

        Family(writer, ExposedMetrics.Restarts);
        foreach (var (_, _, counts, label) in run)
        {
            for (var i = 0; i < RestartReasons.Names.Count; i++)
            {
                writer.Sample(ExposedMetrics.Restarts.Name, counts.Restarts[i], label, new Label("reason", RestartReasons.Names[i]));
            }
        }

        Gauges(writer, ExposedMetrics.StartTime, run, c => c.StartedAt is { } started ? Seconds(started) : null);
        Gauges(writer, ExposedMetrics.LastExitCode, run, c => c.LastExitCode ?? (c.LastSignal is { } signal ? 128 + signal : null));
        Family(writer, ExposedMetrics.Cpu);
        foreach (var (_, _, counts, label) in run)
        {
            writer.Sample(ExposedMetrics.Cpu.Name, counts.CpuSeconds, label);
        }

        Gauges(writer, ExposedMetrics.Memory, run, c => c.Usage?.MemoryBytes);
        Gauges(writer, ExposedMetrics.Processes, run, c => c.Usage?.Processes);
        Counters(writer, ExposedMetrics.LogBytes, run, c => c.LogBytes);
        Counters(writer, ExposedMetrics.LogLines, run, c => c.LogLines);
        Counters(writer, ExposedMetrics.LogDropped, run, c => c.LogDroppedBytes);
    }

    /// <summary>A gauge of each component that has a value now; the family is left out when none has.</summary>
    private static void Gauges(ExpositionWriter writer, ExposedMetric metric, List<(ComponentSnapshot Now, Component? Definition, ComponentCounts Counts, Label Label)> components, Func<ComponentSnapshot, double?> value)
    {
        var begun = false;
        foreach (var (now, _, _, label) in components)
        {
            if (value(now) is not { } v)
            {
                continue;
            }

            if (!begun)
            {
                Family(writer, metric);
                begun = true;
            }

            writer.Sample(metric.Name, v, label);
        }
    }

    private static void Counters(ExpositionWriter writer, ExposedMetric metric, List<(ComponentSnapshot Now, Component? Definition, ComponentCounts Counts, Label Label)> components, Func<ComponentCounts, long> value)
    {
        Family(writer, metric);
        foreach (var (_, _, counts, label) in components)
        {
            writer.Sample(metric.Name, value(counts), label);
        }
    }

    private static void Gauge(ExpositionWriter writer, ExposedMetric metric, double value)
    {
        Family(writer, metric);
        writer.Sample(metric.Name, value);
    }

    private static void Family(ExpositionWriter writer, ExposedMetric metric) => writer.Family(metric.Name, metric.Type, metric.Help);

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    private static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        _ => "critical",
    };
}
