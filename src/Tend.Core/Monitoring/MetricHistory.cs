namespace Tend.Core.Monitoring;

/// <summary>
/// The recent values of each (subject, metric), for rules that compare an average over a window
/// (<c>idle</c>: host CPU averaged over 5 minutes). Keeps only as far back as the longest window asked for.
/// </summary>
public sealed class MetricHistory(TimeSpan keep)
{
    private readonly Dictionary<(string Subject, string Metric), Queue<(DateTimeOffset At, double Value)>> _values = [];

    public void Add(string subject, string metric, double value, DateTimeOffset at)
    {
        if (keep <= TimeSpan.Zero)
        {
            return;
        }

        if (!_values.TryGetValue((subject, metric), out var queue))
        {
            _values[(subject, metric)] = queue = new Queue<(DateTimeOffset, double)>();
        }

        queue.Enqueue((at, value));
        while (queue.Count > 0 && at - queue.Peek().At > keep)
        {
            queue.Dequeue();
        }
    }

    /// <summary>The mean over the trailing window; null until the history covers at least half of it (a fresh daemon is not "idle").</summary>
    public double? Average(string subject, string metric, TimeSpan window, DateTimeOffset now)
    {
        if (!_values.TryGetValue((subject, metric), out var queue) || queue.Count == 0)
        {
            return null;
        }

        var inWindow = queue.Where(v => now - v.At <= window).ToList();
        if (inWindow.Count == 0 || now - inWindow[0].At < window / 2)
        {
            return null;
        }

        return inWindow.Average(v => v.Value);
    }

    /// <summary>Forgets subjects no longer sampled (a component removed from the stack).</summary>
    public void Forget(Func<string, bool> gone)
    {
        foreach (var key in _values.Keys.Where(k => gone(k.Subject)).ToList())
        {
            _values.Remove(key);
        }
    }
}
