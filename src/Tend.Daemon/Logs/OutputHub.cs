using System.Text;
using Tend.Core.Events;

namespace Tend.Daemon.Logs;

/// <summary>A line a run wrote, as a listener to the output hub gets it.</summary>
/// <param name="Lost">Set on the marker that stands for lines a slow listener lost: how many.</param>
public sealed record OutputLine(string Component, int Run, DateTimeOffset Time, string Text, long Lost = 0);

/// <summary>
/// Every run's output, line by line, for whoever listens (the monitor counts lines and reads
/// them for patterns; a face shows them live). It costs nothing while nobody listens to a
/// component: its runs' captures then do not even cut their output into lines.
/// </summary>
public sealed class OutputHub(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<(string? Component, BoundedFeed<OutputLine> Feed)> _listeners = [];
    private volatile string?[] _listened = [];

    /// <summary>The observer for one run of <paramref name="component"/>.</summary>
    public IOutputObserver ObserverFor(string component, int run) => new RunObserver(this, component, run);

    /// <summary>The lines of <paramref name="component"/>'s runs (of every component when null) from now on, until disposed.</summary>
    public OutputSubscription Subscribe(string? component, int capacity = 4096)
    {
        var feed = new BoundedFeed<OutputLine>(capacity, (lost, _, next) => next with { Text = $"[tend: {lost} lines lost: this listener read more slowly than they came]", Lost = lost });
        lock (_gate)
        {
            _listeners.Add((component, feed));
            _listened = [.. _listeners.Select(l => l.Component)];
        }

        return new OutputSubscription(feed, () =>
        {
            lock (_gate)
            {
                _listeners.RemoveAll(l => ReferenceEquals(l.Feed, feed));
                _listened = [.. _listeners.Select(l => l.Component)];
            }

            feed.End();
        });
    }

    private bool Listens(string component)
    {
        foreach (var listened in _listened)
        {
            if (listened is null || listened == component)
            {
                return true;
            }
        }

        return false;
    }

    private void Publish(string component, int run, ReadOnlySpan<byte> text)
    {
        var line = new OutputLine(component, run, time.GetUtcNow(), Encoding.UTF8.GetString(text));
        lock (_gate)
        {
            foreach (var (listened, feed) in _listeners)
            {
                if (listened is null || listened == component)
                {
                    feed.Offer(line, line.Time);
                }
            }
        }
    }

    private sealed class RunObserver(OutputHub hub, string component, int run) : IOutputObserver
    {
        public bool IsListening => hub.Listens(component);

        public void OnLine(ReadOnlySpan<byte> line) => hub.Publish(component, run, line);
    }
}

/// <summary>A listener's lines; disposing it stops the listening.</summary>
public sealed class OutputSubscription(BoundedFeed<OutputLine> feed, Action end) : IDisposable
{
    public long Lost => feed.Lost;

    public IAsyncEnumerable<OutputLine> ReadAllAsync(CancellationToken cancellationToken = default) => feed.ReadAllAsync(cancellationToken);

    public void Dispose() => end();
}
