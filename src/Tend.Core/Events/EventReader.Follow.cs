using System.Runtime.CompilerServices;

namespace Tend.Core.Events;

public sealed partial class EventReader
{
    /// <summary>
    /// The last <paramref name="backlog"/> matching events, then every matching event as it is
    /// appended, until cancelled (which ends the enumeration with <see cref="OperationCanceledException"/>).
    /// Crosses midnight into the next day's file, and still reads the previous day's file for a
    /// writer that stamped its event just before midnight and wrote it just after.
    /// </summary>
    public async IAsyncEnumerable<EventRecord> FollowAsync(
        EventFilter? filter = null,
        int backlog = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        filter ??= EventFilter.All;
        var (tracked, earlier) = Start(filter, backlog);
        foreach (var record in earlier)
        {
            yield return record;
        }

        var batch = new List<EventRecord>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Discover(tracked);
            foreach (var cursor in tracked.Values)
            {
                while (cursor.ReadNext(batch, filter, out var skipped))
                {
                    Interlocked.Add(ref malformed, skipped);
                    foreach (var record in batch)
                    {
                        yield return record;
                    }

                    batch.Clear();
                }
            }

            Forget(tracked);
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Cursors at the end of the complete lines of the files still written to (the newest and
    /// the day before), and the backlog read up to exactly there, so nothing is missed or
    /// yielded twice between the two.
    /// </summary>
    private (SortedDictionary<DateOnly, EventFileCursor> Tracked, List<EventRecord> Backlog) Start(EventFilter filter, int backlog)
    {
        var tracked = new SortedDictionary<DateOnly, EventFileCursor>();
        var files = EventFiles.List(Directory);
        if (files.Count == 0)
        {
            return (tracked, []);
        }

        var oldestTracked = files[^1].Day.AddDays(-1);
        foreach (var file in files.Where(f => f.Day >= oldestTracked))
        {
            var cursor = new EventFileCursor(file);
            cursor.SkipToEnd();
            tracked[file.Day] = cursor;
        }

        var earlier = LastOf(files, backlog, filter, file => tracked.TryGetValue(file.Day, out var cursor) ? cursor.Offset : null);
        return (tracked, earlier);
    }

    /// <summary>Adds the files of later days that appeared since, read from their start.</summary>
    private void Discover(SortedDictionary<DateOnly, EventFileCursor> tracked)
    {
        var newest = tracked.Count == 0 ? DateOnly.MinValue : tracked.Keys.Last();
        foreach (var file in EventFiles.List(Directory))
        {
            if (file.Day > newest)
            {
                tracked[file.Day] = new EventFileCursor(file);
            }
        }
    }

    /// <summary>Stops reading files older than the day before the newest: no writer is still on them.</summary>
    private static void Forget(SortedDictionary<DateOnly, EventFileCursor> tracked)
    {
        if (tracked.Count == 0)
        {
            return;
        }

        var oldestKept = tracked.Keys.Last().AddDays(-1);
        foreach (var day in tracked.Keys.Where(d => d < oldestKept).ToList())
        {
            tracked.Remove(day);
        }
    }
}
