namespace Tend.Core.Events;

/// <summary>
/// Reads the events of a directory of daily files, oldest first and in the order they were
/// appended. Only complete lines are events: a torn last line waits for its newline, and a line
/// that is not an event is skipped and counted in <see cref="MalformedLines"/>, never thrown.
/// </summary>
public sealed partial class EventReader(string directory, TimeProvider? time = null)
{
    private readonly TimeProvider time = time ?? TimeProvider.System;
    private long malformed;
    private long bytesRead;

    public string Directory { get; } = directory;

    /// <summary>How often <see cref="FollowAsync"/> looks for new lines.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Lines skipped because they are not events, over every read of this reader (of the lines it parsed: a query for one component passes over the others' unread).</summary>
    public long MalformedLines => Interlocked.Read(ref malformed);

    /// <summary>Bytes of the files read to answer <see cref="Last"/> and the backlogs of <see cref="FollowAsync"/>, over every read of this reader.</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>The matching events written so far, oldest first.</summary>
    public IEnumerable<EventRecord> Read(EventFilter? filter = null)
    {
        filter ??= EventFilter.All;
        foreach (var file in EventFiles.List(Directory))
        {
            if (!filter.MayContain(file.Day))
            {
                continue;
            }

            foreach (var record in ReadAll(new EventFileCursor(file), filter))
            {
                yield return record;
            }
        }
    }

    /// <summary>The last <paramref name="count"/> matching events, oldest first, read from the end of the newest files and only as far back as needed.</summary>
    /// <param name="upTo">Read only what was written before this place (a subscription's start); null for everything.</param>
    public IReadOnlyList<EventRecord> Last(int count, EventFilter? filter = null, EventPosition? upTo = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var files = EventFiles.List(Directory).Where(f => upTo is null || f.Day <= upTo.Day).ToList();
        return LastOf(files, count, filter ?? EventFilter.All, file => file.Day == upTo?.Day ? upTo.Offset : null);
    }

    /// <param name="limitOf">Where to stop reading each file (just after a whole line); null for its end.</param>
    private List<EventRecord> LastOf(IReadOnlyList<EventFile> files, int count, EventFilter filter, Func<EventFile, long?> limitOf)
    {
        var newestFirst = new List<EventRecord>();
        var tail = new EventTail(filter);
        for (var i = files.Count - 1; i >= 0 && newestFirst.Count < count; i--)
        {
            if (filter.MayContain(files[i].Day))
            {
                tail.Read(files[i], limitOf(files[i]), count - newestFirst.Count, newestFirst);
            }
        }

        Interlocked.Add(ref malformed, tail.Malformed);
        Interlocked.Add(ref bytesRead, tail.BytesRead);
        newestFirst.Reverse();
        return newestFirst;
    }

    private IEnumerable<EventRecord> ReadAll(EventFileCursor cursor, EventFilter filter)
    {
        var batch = new List<EventRecord>();
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
}
