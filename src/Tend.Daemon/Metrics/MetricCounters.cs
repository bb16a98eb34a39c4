using System.Collections.Concurrent;
using System.Collections.Frozen;
using Tend.Core.Events;
using Tend.Core.Metrics;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Metrics;

/// <summary>
/// What only grows over the daemon's life, for the exposition: events by kind and rounds by
/// outcome (seen by the hub, every event under its lock, so none is missed as a subscriber's
/// bounded queue could), restarts by reason and probe durations (told by the runner where they
/// happen, with the reason as a value rather than parsed back from an event's text), and CPU
/// time (told by the usage sampler). Counting is a few interlocked adds; nothing here waits.
/// </summary>
public sealed class MetricCounters
{
    private static readonly FrozenDictionary<string, int> KindIndex =
        EventKinds.All.Select((kind, i) => (kind.Name, i)).ToFrozenDictionary(k => k.Name, k => k.i, StringComparer.Ordinal);

    private readonly long[] _events = new long[EventKinds.All.Count];
    private readonly ConcurrentDictionary<string, ComponentCounters> _components = new(StringComparer.Ordinal);

    /// <summary>Counts an event; given to <see cref="EventHub.Observe"/>.</summary>
    public void Observe(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (KindIndex.TryGetValue(record.Kind, out var index))
        {
            Interlocked.Increment(ref _events[index]);
        }

        if (record.Kind == EventKinds.Rounds.RoundEnded.Name && record.Component is { } component && RoundOutcomes.IndexOf(record.GetText("outcome")) is var outcome and >= 0)
        {
            Interlocked.Increment(ref Of(component).Rounds[outcome]);
        }
    }

    public void Restarted(string component, RestartReason reason) => Interlocked.Increment(ref Of(component).Restarts[(int)reason]);

    public void Probed(string component, TimeSpan took) => Of(component).Probe(took.TotalSeconds);

    /// <summary>CPU time the component's processes used since the sampler last looked, in clock ticks.</summary>
    public void UsedCpu(string component, long ticks)
    {
        if (ticks > 0)
        {
            Interlocked.Add(ref Of(component).CpuTicks, ticks);
        }
    }

    /// <param name="logs">The output counted of a component's runs so far (every run since the daemon started); null when none ran.</param>
    public StackCounts Read(IEnumerable<string> components, Func<string, OutputTotals?> logs, double? lastScrapeSeconds)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(logs);
        var events = new long[_events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = Interlocked.Read(ref _events[i]);
        }

        var counts = new Dictionary<string, ComponentCounts>(StringComparer.Ordinal);
        foreach (var name in components)
        {
            var output = logs(name);
            counts[name] = _components.TryGetValue(name, out var counters)
                ? counters.Read(output)
                : ComponentCounts.Zero with { LogBytes = output?.Bytes ?? 0, LogLines = output?.Lines ?? 0, LogDroppedBytes = output?.DroppedBytes ?? 0 };
        }

        return new StackCounts(events, counts, lastScrapeSeconds);
    }

    private ComponentCounters Of(string component) => _components.GetOrAdd(component, static _ => new ComponentCounters());

    /// <summary>One component's counters; its name outlives a reload that removes it, so a component put back counts on.</summary>
    private sealed class ComponentCounters
    {
        private readonly Lock _probeGate = new();
        private readonly long[] _probeCounts = new long[HistogramCounts.ProbeBounds.Count + 1];
        private double _probeSum;

        public readonly long[] Restarts = new long[RestartReasons.Names.Count];
        public readonly long[] Rounds = new long[RoundOutcomes.Names.Count];
        public long CpuTicks;

        public void Probe(double seconds)
        {
            var bucket = 0;
            while (bucket < HistogramCounts.ProbeBounds.Count && seconds > HistogramCounts.ProbeBounds[bucket])
            {
                bucket++;
            }

            lock (_probeGate)
            {
                _probeCounts[bucket]++;
                _probeSum += seconds;
            }
        }

        private static long[] Copy(long[] counters)
        {
            var copy = new long[counters.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = Interlocked.Read(ref counters[i]);
            }

            return copy;
        }

        public ComponentCounts Read(OutputTotals? output)
        {
            HistogramCounts probe;
            lock (_probeGate)
            {
                probe = new HistogramCounts([.. _probeCounts], _probeSum);
            }

            return new ComponentCounts(
                Copy(Restarts),
                probe,
                Interlocked.Read(ref CpuTicks) / (double)Processes.ProcStat.ClockTicksPerSecond,
                output?.Bytes ?? 0,
                output?.Lines ?? 0,
                output?.DroppedBytes ?? 0,
                Copy(Rounds));
        }
    }
}
