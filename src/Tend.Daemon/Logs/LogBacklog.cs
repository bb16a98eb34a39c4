using System.Collections.Concurrent;

namespace Tend.Daemon.Logs;

/// <summary>
/// The queue between a run's pipe reads and the disk writer. It never makes a reader wait: with
/// <c>dropWhenFull</c>, when the bytes waiting exceed the limit, a block is dropped and counted,
/// and the next block let in carries the count so that the writer puts a marker line exactly
/// where the gap is; without, every block is queued and <see cref="IsFull"/> tells the reader to
/// stop reading the pipe until the writer has caught up (the child then waits in write(2)).
/// </summary>
/// <param name="ready">Called when a block is queued, so that the writer is told there is work.</param>
internal sealed class LogBacklog(long limitBytes, bool dropWhenFull, TimeProvider time, Action ready)
{
    private readonly ConcurrentQueue<LogBlock> _queue = new();
    private volatile bool _completed;
    private long _queuedBytes;
    private long _droppedBytes;
    private long _unreportedBytes;

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>More is waiting than the limit: a blocking capture stops reading.</summary>
    public bool IsFull => QueuedBytes > limitBytes;

    /// <summary>The writer has caught up enough (half the limit) for a paused capture to read again.</summary>
    public bool HasRoom => QueuedBytes <= limitBytes / 2;

    /// <summary><see cref="Complete"/> was called: nothing more will be queued.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Nothing is queued now.</summary>
    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>The next block, without waiting; false when none is queued.</summary>
    public bool TryTake(out LogBlock block) => _queue.TryDequeue(out block!);

    /// <summary>From a pipe reader: queue the block, or (dropping) drop it if the backlog is full. Never waits.</summary>
    public void Offer(LogBlock block)
    {
        // Two readers may both pass the check and overshoot by a block; the limit is about
        // memory, and a block is small. An empty queue always takes a block, so even a limit
        // smaller than one block lets output through whenever the writer has caught up.
        var queued = Interlocked.Read(ref _queuedBytes);
        if (dropWhenFull && queued > 0 && queued + block.Length > limitBytes)
        {
            Interlocked.Add(ref _droppedBytes, block.SourceBytes);
            Interlocked.Add(ref _unreportedBytes, block.SourceBytes);
            Return(block);
            return;
        }

        Enqueue(block);
    }

    /// <summary>Tend's own lines (notes) are few and never dropped.</summary>
    public void OfferAlways(LogBlock block) => Enqueue(block);

    /// <summary>From the writer, once a block is on disk (or lost): its memory is free again.</summary>
    public void Release(LogBlock block)
    {
        Interlocked.Add(ref _queuedBytes, -block.Length);
        Return(block);
    }

    /// <summary>No more blocks: a drop at the very end still gets its marker.</summary>
    public void Complete()
    {
        if (Interlocked.Read(ref _unreportedBytes) > 0)
        {
            Enqueue(new LogBlock(null, 0, 0));
        }

        _completed = true;
        ready();
    }

    private void Enqueue(LogBlock block)
    {
        var dropped = Interlocked.Exchange(ref _unreportedBytes, 0);
        if (dropped > 0)
        {
            block = block with { DroppedBefore = dropped, ResumedAt = time.GetUtcNow() };
        }

        if (_completed)
        {
            // A note after the end of the capture has nowhere to go.
            Return(block);
            return;
        }

        Interlocked.Add(ref _queuedBytes, block.Length);
        _queue.Enqueue(block);
        ready();
    }

    private static void Return(LogBlock block)
    {
        if (block.Buffer is not null)
        {
            LogBuffers.Pool.Return(block.Buffer);
        }
    }
}
