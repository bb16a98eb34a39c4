using System.Buffers;
using System.Threading.Channels;

namespace Tend.Daemon.Logs;

/// <summary>
/// The queue between the pipe readers and the disk writer. It never makes a reader wait: when
/// the bytes waiting exceed the limit, a block is dropped and counted, and the next block let
/// in carries the count so that the writer puts a marker line exactly where the gap is.
/// </summary>
internal sealed class LogBacklog(long limitBytes, TimeProvider time)
{
    // The writer is a thread of its own blocked on the queue: a reader's write wakes it directly
    // rather than through a hop on the thread pool.
    private readonly Channel<LogBlock> _queue = Channel.CreateUnbounded<LogBlock>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private long _queuedBytes;
    private long _droppedBytes;
    private long _unreportedBytes;

    public ChannelReader<LogBlock> Reader => _queue.Reader;

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

        _queue.Writer.TryComplete();
    }

    private void Enqueue(LogBlock block)
    {
        var dropped = Interlocked.Exchange(ref _unreportedBytes, 0);
        if (dropped > 0)
        {
            block = block with { DroppedBefore = dropped, ResumedAt = time.GetUtcNow() };
        }

        Interlocked.Add(ref _queuedBytes, block.Length);
        if (!_queue.Writer.TryWrite(block))
        {
            // Completed already: a note after the end of the capture has nowhere to go.
            Release(block);
        }
    }

    private static void Return(LogBlock block)
    {
        if (block.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
        }
    }
}
