namespace Tend.Core.Events;

/// <summary>
/// The sink behind every event of a daemon: first the JSONL files (the facts that outlive it),
/// then whoever subscribed (the CLI's `events -f`, later the monitor, the dashboard, a remote
/// face). Publishing never waits for a subscriber: each has a bounded queue, and one that reads
/// too slowly loses events, counted and marked by an <c>events_lost</c> event, as the file does
/// when the disk refuses a line.
/// </summary>
public sealed class EventHub(EventLog? log, TimeProvider? time = null) : IEventSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly List<EventSubscription> _subscribers = [];
    private Action<EventRecord>[] _observers = [];
    private volatile SecretValues _secrets = SecretValues.None;

    /// <summary>
    /// Values masked in every text field before an event reaches the file or a subscriber: the
    /// stack's known secrets, whichever site emits them (an argv, a log tail, a check's message).
    /// </summary>
    public SecretValues Secrets
    {
        get => _secrets;
        set => _secrets = value ?? SecretValues.None;
    }

    /// <summary>Events the files could not take lately (a full disk), for the daemon's warnings; null while all are written.</summary>
    public EventLogTrouble? LogTrouble => log?.Trouble;

    /// <summary>The directory of the files, when there are files.</summary>
    public string? Directory => log?.Directory;

    public void Emit(EventKind kind, string? component, params EventField[] fields)
    {
        ArgumentNullException.ThrowIfNull(kind);
        Publish(kind.Create(_time.GetUtcNow(), component, fields));
    }

    /// <summary>Appends to the file, then offers to each subscriber, under one lock: every subscriber sees the file's order.</summary>
    public void Publish(EventRecord record)
    {
        record = Masked(record, _secrets);
        lock (_gate)
        {
            var position = log?.Append(record) == true ? log.LastWritten : null;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(record, position);
            }

            foreach (var observer in _observers)
            {
                observer(record);
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="observer"/> with every event from now on, under the hub's lock, in the
    /// files' order, none lost: for counters (the metrics), which must be cheap and never block.
    /// </summary>
    public void Observe(Action<EventRecord> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            _observers = [.. _observers, observer];
        }
    }

    /// <summary>
    /// Events from this moment on, matching <paramref name="filter"/>. Its
    /// <see cref="EventSubscription.HistoryEnd"/> is where the files stood when it began, so a
    /// reader of the history up to there and of the subscription after sees each event once.
    /// </summary>
    public EventSubscription Subscribe(EventFilter filter, int capacity = EventSubscription.DefaultCapacity)
    {
        lock (_gate)
        {
            var end = log?.LastWritten ?? (log is null ? null : EventPosition.EndOf(log.Directory));
            var subscription = new EventSubscription(this, filter, capacity, end);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(EventSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    private static EventRecord Masked(EventRecord record, SecretValues secrets)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (secrets.Count == 0)
        {
            return record;
        }

        EventField[]? fields = null;
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var field = record.Fields[i];
            EventValue masked = field.Value switch
            {
                EventValue.Text text when secrets.Mask(text.Value) is var m && !ReferenceEquals(m, text.Value) => m,
                EventValue.TextList list when secrets.Mask(list.Values) is var m && !ReferenceEquals(m, list.Values) => EventValue.List(m),
                _ => field.Value,
            };
            if (!ReferenceEquals(masked, field.Value))
            {
                fields ??= [.. record.Fields];
                fields[i] = new EventField(field.Name, masked);
            }
        }

        return fields is null ? record : new EventRecord(record.Timestamp, record.Kind, record.Component, fields);
    }

    /// <summary>Flushes the file on a clean stop; events are not synced one by one (see <see cref="EventLog"/>).</summary>
    public void Dispose()
    {
        log?.Sync();
        log?.Dispose();
    }
}
