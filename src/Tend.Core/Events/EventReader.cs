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

    public string Directory { get; } = directory;

    /// <summary>How often <see cref="FollowAsync"/> looks for new lines.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Lines skipped because they are not events, over every read of this reader.</summary>
    public long MalformedLines => Interlocked.Read(ref malformed);

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

    /// <summary>The last <paramref name="count"/> matching events, oldest first, reading the newest files only as far back as needed.</summary>
    /// <param name="upTo">Read only what was written before this place (a subscription's start); null for everything.</param>
    public IReadOnlyList<EventRecord> Last(int count, EventFilter? filter = null, EventPosition? upTo = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        filter ??= EventFilter.All;
        var last = new List<EventRecord>();
        var files = EventFiles.List(Directory);
        for (var i = files.Count - 1; i >= 0 && last.Count < count; i--)
        {
            if (filter.MayContain(files[i].Day) && (upTo is null || files[i].Day <= upTo.Day))
            {
                var cursor = new EventFileCursor(files[i]) { Limit = files[i].Day == upTo?.Day ? upTo.Offset : null };
                var matches = ReadAll(cursor, filter).ToList();
                last.InsertRange(0, matches.Skip(Math.Max(0, matches.Count - (count - last.Count))));
            }
        }

        return last;
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
