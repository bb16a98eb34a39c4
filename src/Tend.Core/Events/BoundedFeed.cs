using System.Runtime.CompilerServices;

namespace Tend.Core.Events;

/// <summary>
/// A queue one writer fills without ever waiting and one reader drains: when it is full, what
/// does not fit is counted, and the reader gets <paramref name="lostMarker"/>'s item in its place,
/// before the next item that fitted. The subscriptions to events and to output are these.
/// </summary>
/// <param name="lostMarker">The item that says how many were lost since when, given the time of the item after them.</param>
public sealed class BoundedFeed<T>(int capacity, Func<long, DateTimeOffset, T, T> lostMarker)
    where T : class
{
    private readonly Lock _gate = new();
    private readonly Queue<(long LostBefore, DateTimeOffset LostSince, T Item)> _queue = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lost;
    private DateTimeOffset _lostSince;
    private bool _ended;

    /// <summary>Items that did not fit, since it began.</summary>
    public long Lost { get; private set; }

    /// <summary>Queues <paramref name="item"/>, or counts it lost when the queue is full; never waits.</summary>
    public void Offer(T item, DateTimeOffset at)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            if (_queue.Count >= capacity)
            {
                if (_lost++ == 0)
                {
                    _lostSince = at;
                }

                Lost++;
                return;
            }

            _queue.Enqueue((_lost, _lostSince, item));
            _lost = 0;
            arrived = _arrived;
        }

        arrived.TrySetResult();
    }

    /// <summary>The items as they come, until <paramref name="cancellationToken"/> or <see cref="End"/>.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            (long LostBefore, DateTimeOffset LostSince, T Item) next;
            Task wait;
            lock (_gate)
            {
                if (_queue.TryDequeue(out next))
                {
                    wait = Task.CompletedTask;
                }
                else if (_ended)
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

            if (next.Item is null)
            {
                await wait.WaitAsync(cancellationToken);
                continue;
            }

            if (next.LostBefore > 0)
            {
                yield return lostMarker(next.LostBefore, next.LostSince, next.Item);
            }

            yield return next.Item;
        }
    }

    /// <summary>No more items: the reader ends once it has read what is queued.</summary>
    public void End()
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            _ended = true;
            arrived = _arrived;
        }

        arrived.TrySetResult();
    }
}
