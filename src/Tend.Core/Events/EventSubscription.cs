using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tend.Core.Events;

/// <summary>
/// One subscriber's events: a bounded queue the hub fills without waiting. When it is full, what
/// does not fit is counted, and the reader gets an <c>events_lost</c> event in its place, before
/// the next event that fitted.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    public const int DefaultCapacity = 4096;

    private readonly EventHub _hub;
    private readonly EventFilter _filter;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Queue<(long LostBefore, DateTimeOffset LostSince, EventRecord Record)> _queue = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lost;
    private DateTimeOffset _lostSince;
    private bool _disposed;

    internal EventSubscription(EventHub hub, EventFilter filter, int capacity, EventPosition? historyEnd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _hub = hub;
        _filter = filter;
        _capacity = capacity;
        HistoryEnd = historyEnd;
    }

    /// <summary>Where the files stood when the subscription began: its first event comes after it.</summary>
    public EventPosition? HistoryEnd { get; }

    /// <summary>Events that did not fit, since it began.</summary>
    public long Lost { get; private set; }

    internal void Offer(EventRecord record)
    {
        if (!_filter.Matches(record))
        {
            return;
        }

        TaskCompletionSource arrived;
        lock (_gate)
        {
            if (_queue.Count >= _capacity)
            {
                if (_lost++ == 0)
                {
                    _lostSince = record.Timestamp;
                }

                Lost++;
                return;
            }

            _queue.Enqueue((_lost, _lostSince, record));
            _lost = 0;
            arrived = _arrived;
        }

        arrived.TrySetResult();
    }

    /// <summary>The events as they come, until <paramref name="cancellationToken"/> or the subscription ends.</summary>
    public async IAsyncEnumerable<EventRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            (long LostBefore, DateTimeOffset LostSince, EventRecord Record) next;
            Task wait;
            lock (_gate)
            {
                if (_queue.TryDequeue(out next))
                {
                    wait = Task.CompletedTask;
                }
                else if (_disposed)
                {
                    yield break;
                }
                else
                {
                    _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _arrived.Task;
                    next = default;
                }
            }

            if (next.Record is null)
            {
                await wait.WaitAsync(cancellationToken);
                continue;
            }

            if (next.LostBefore > 0)
            {
                yield return LostMarker(next.LostBefore, next.LostSince, next.Record.Timestamp);
            }

            yield return next.Record;
        }
    }

    private static EventRecord LostMarker(long lost, DateTimeOffset since, DateTimeOffset at) => EventKinds.EventsLost.Create(
        at,
        null,
        new EventField("lost", lost),
        new EventField("since", since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        new EventField("error", "this subscriber read more slowly than events came"));

    public void Dispose()
    {
        _hub.Unsubscribe(this);
        TaskCompletionSource arrived;
        lock (_gate)
        {
            _disposed = true;
            arrived = _arrived;
        }

        arrived.TrySetResult();
    }
}
