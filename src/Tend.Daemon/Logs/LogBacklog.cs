using System.Collections.Concurrent;

namespace Tend.Daemon.Logs;

/// <summary>
/// The queue between the pipe readers and the disk writer. It never makes a reader wait: when
/// the bytes waiting exceed the limit, a block is dropped and counted, and the next block let
/// in carries the count so that the writer puts a marker line exactly where the gap is.
/// </summary>
// The event is never disposed: readers may still offer (and find the capture completed) after
// the writer is gone, and a ManualResetEventSlim whose WaitHandle is never asked for holds no
// kernel object to release.
#pragma warning disable CA1001
internal sealed class LogBacklog(long limitBytes, TimeProvider time)
#pragma warning restore CA1001
{
    // The writer is a thread of its own that sleeps on an event when the queue is empty. Not a
    // Channel waited on synchronously: that waits through a spinning event, and under a flood
    // the spinning (sched_yield) cost more CPU than writing the logs.
    private readonly ConcurrentQueue<LogBlock> _queue = new();
    private readonly ManualResetEventSlim _ready = new(false, spinCount: 1);
    private volatile bool _completed;
    private long _queuedBytes;
    private long _droppedBytes;
    private long _unreportedBytes;

    /// <summary>The next block, waiting while the queue is empty; false once completed and drained.</summary>
    public bool TryTake(out LogBlock block)
    {
        while (true)
        {
            if (_queue.TryDequeue(out block!))
            {
                return true;
            }

            if (_completed)
            {
                return _queue.TryDequeue(out block!);
            }

            _ready.Reset();

            // Re-check after the reset: a block offered between the dequeue and the reset must not be slept on.
            if (_queue.IsEmpty && !_completed)
            {
                _ready.Wait();
            }
        }
    }

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>From a pipe reader: queue the block, or drop it if the backlog is full. Never waits.</summary>
    public void Offer(LogBlock block)
    {
        // Two readers may both pass the check and overshoot by a block; the limit is about
        // memory, and a block is small. An empty queue always takes a block, so even a limit
        // smaller than one block lets output through whenever the writer has caught up.
        var queued = Interlocked.Read(ref _queuedBytes);
        if (queued > 0 && queued + block.Length > limitBytes)
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
        _ready.Set();
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

        // Setting an event that is set already costs nothing; waking a sleeping writer costs one futex.
        if (!_ready.IsSet)
        {
            _ready.Set();
        }
    }

    private static void Return(LogBlock block)
    {
        if (block.Buffer is not null)
        {
            LogBuffers.Pool.Return(block.Buffer);
        }
    }
}
