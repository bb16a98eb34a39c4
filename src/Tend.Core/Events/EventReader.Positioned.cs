namespace Tend.Core.Events;

public sealed partial class EventReader
{
    /// <summary>As <see cref="Last"/>, each event with the place just past its line: the cursor a reader resumes from.</summary>
    public IReadOnlyList<PositionedEvent> LastPositioned(int count, EventFilter? filter = null, EventPosition? upTo = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        filter ??= EventFilter.All;
        var files = EventFiles.List(Directory).Where(f => upTo is null || f.Day <= upTo.Day).ToList();
        var newestFirst = new List<EventRecord>();
        var positions = new List<EventPosition>();
        var tail = new EventTail(filter);
        for (var i = files.Count - 1; i >= 0 && newestFirst.Count < count; i--)
        {
            if (filter.MayContain(files[i].Day))
            {
                tail.Read(files[i], files[i].Day == upTo?.Day ? upTo.Offset : null, count - newestFirst.Count, newestFirst, positions);
            }
        }

        Interlocked.Add(ref malformed, tail.Malformed);
        Interlocked.Add(ref bytesRead, tail.BytesRead);
        var events = new List<PositionedEvent>(newestFirst.Count);
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            events.Add(new PositionedEvent(newestFirst[i], positions[i]));
        }

        return events;
    }

    /// <summary>
    /// The matching events written after <paramref name="from"/> (an event's position, as a reader
    /// last saw it), oldest first, up to <paramref name="max"/> of them and no further than
    /// <paramref name="upTo"/>. A day whose file retention has deleted is passed over: what is gone
    /// cannot be resent. A position past the end of its file (the file was replaced by hand)
    /// reads that file from its start.
    /// </summary>
    public IReadOnlyList<PositionedEvent> After(EventPosition from, EventFilter? filter = null, EventPosition? upTo = null, int max = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(from);
        filter ??= EventFilter.All;
        var found = new List<PositionedEvent>();
        var batch = new List<EventRecord>();
        var positions = new List<EventPosition>();
        foreach (var file in EventFiles.List(Directory).Where(f => f.Day >= from.Day && (upTo is null || f.Day <= upTo.Day)))
        {
            if (file.Day == from.Day && file.Day == upTo?.Day && from.Offset >= upTo.Offset)
            {
                // Nothing was written between the two.
                continue;
            }

            var cursor = new EventFileCursor(file) { Limit = file.Day == upTo?.Day ? upTo.Offset : null };
            cursor.Seek(file.Day == from.Day ? from.Offset : 0);
            while (found.Count < max && cursor.ReadNext(batch, filter, out var skipped, positions))
            {
                Interlocked.Add(ref malformed, skipped);
                for (var i = 0; i < batch.Count && found.Count < max; i++)
                {
                    found.Add(new PositionedEvent(batch[i], positions[i]));
                }

                batch.Clear();
                positions.Clear();
            }

            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }
}
