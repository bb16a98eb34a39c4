using System.Globalization;

namespace Tend.Core.Events;

/// <summary>
/// One subscriber's events: a bounded feed the hub fills without waiting. What does not fit is
/// counted, and the reader gets an <c>events_lost</c> event in its place.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    public const int DefaultCapacity = 4096;

    private readonly EventHub _hub;
    private readonly EventFilter _filter;
    private readonly BoundedFeed<PositionedEvent> _feed;

    internal EventSubscription(EventHub hub, EventFilter filter, int capacity, EventPosition? historyEnd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _hub = hub;
        _filter = filter;
        _feed = new BoundedFeed<PositionedEvent>(capacity, (lost, since, next) => new PositionedEvent(LostMarker(lost, since, next.Record), null));
        HistoryEnd = historyEnd;
    }

    /// <summary>Where the files stood when the subscription began: its first event comes after it.</summary>
    public EventPosition? HistoryEnd { get; }

    /// <summary>Events that did not fit, since it began.</summary>
    public long Lost => _feed.Lost;

    internal void Offer(EventRecord record, EventPosition? position)
    {
        if (_filter.Matches(record))
        {
            _feed.Offer(new PositionedEvent(record, position), record.Timestamp);
        }
    }

    /// <summary>The events as they come, until <paramref name="cancellationToken"/> or the subscription ends.</summary>
    public IAsyncEnumerable<EventRecord> ReadAllAsync(CancellationToken cancellationToken = default) => _feed.ReadAllAsync(cancellationToken).Select(e => e.Record);

    /// <summary>The events as they come, each with where the file has it (null for one the disk refused, and for a lost-events marker).</summary>
    public IAsyncEnumerable<PositionedEvent> ReadPositionedAsync(CancellationToken cancellationToken = default) => _feed.ReadAllAsync(cancellationToken);

    private static EventRecord LostMarker(long lost, DateTimeOffset since, EventRecord next) => EventKinds.EventsLost.Create(
        next.Timestamp,
        null,
        new EventField("lost", lost),
        new EventField("since", since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        new EventField("error", "this subscriber read more slowly than events came"));

    public void Dispose()
    {
        _hub.Unsubscribe(this);
        _feed.End();
    }
}

/// <summary>An event and the place just past its line in the daily files; null when it is in no file.</summary>
public sealed record PositionedEvent(EventRecord Record, EventPosition? Position);
