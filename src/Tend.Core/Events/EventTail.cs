using Microsoft.Win32.SafeHandles;

namespace Tend.Core.Events;

/// <summary>
/// The last matching events of daily files, read from their ends. Without a component or kind
/// to look for, the lines are parsed from the end until enough match. With one, a line of
/// another component or kind is passed over unparsed (<see cref="EventKeyFilter"/>), and the
/// file's <see cref="EventIndex"/> (kept beside it, brought up to date first) says which blocks
/// to read: a component's events cost the blocks that name it, whatever else the day holds.
/// </summary>
internal sealed class EventTail(EventFilter filter)
{
    /// <summary>Past this many bytes not yet indexed, the index is brought up to the end before a filtered read; below, they are read line by line.</summary>
    internal const long UnindexedBytes = 256 * 1024;

    private readonly EventKeyFilter keys = new(filter);
    private readonly BackwardLines lines = new();
    private long indexBytes;
    private int malformed;

    /// <summary>Bytes read from the files: the lines, and the stretches indexed.</summary>
    public long BytesRead => lines.BytesRead + indexBytes;

    /// <summary>Lines read that are not events.</summary>
    public int Malformed => malformed;

    /// <summary>Adds up to <paramref name="want"/> matching events of <paramref name="file"/> to <paramref name="newestFirst"/>, the newest first.</summary>
    /// <param name="limit">Read only the bytes before this offset (a place just after a whole line); null for the whole file.</param>
    /// <param name="positions">When given, gets the place just past each event's line, in step with <paramref name="newestFirst"/>.</param>
    /// <returns>How many were added.</returns>
    public int Read(EventFile file, long? limit, int want, List<EventRecord> newestFirst, List<EventPosition>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (want <= 0)
        {
            return 0;
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted by retention since it was listed.
            return 0;
        }

        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            var end = Math.Min(length, limit ?? long.MaxValue);
            var found = 0;
            if (!keys.IsSelective || end <= UnindexedBytes)
            {
                Scan(handle, 0, end, want, newestFirst, ref found, positions, file.Day);
                return found;
            }

            var index = EventIndexFile.Load(file.Path, handle, length);
            if (end - index.Covered > UnindexedBytes)
            {
                // Indexed once, for this query and the next: only what was written since the last.
                indexBytes += index.Extend(handle, end);
                EventIndexFile.Save(file.Path, handle, index);
            }

            var indexed = Math.Min(index.Covered, end);
            Scan(handle, indexed, end, want, newestFirst, ref found, positions, file.Day);
            var candidates = index.Candidates(filter);
            for (var block = index.Blocks - 1; block >= 0 && found < want; block--)
            {
                if (index.StartOf(block) < indexed && candidates.Contains(block))
                {
                    Scan(handle, index.StartOf(block), Math.Min(index.EndOf(block), indexed), want, newestFirst, ref found, positions, file.Day);
                }
            }

            return found;
        }
    }

    /// <summary>Reads the lines of [<paramref name="start"/>, <paramref name="end"/>) from the last until <paramref name="want"/> matched.</summary>
    private void Scan(SafeFileHandle handle, long start, long end, int want, List<EventRecord> newestFirst, ref int found, List<EventPosition>? positions, DateOnly day)
    {
        if (end <= start)
        {
            return;
        }

        var count = found;
        lines.Read(handle, start, end, (line, offset) =>
        {
            if (EventLineParser.Read(line, filter, keys, ref malformed) is { } record)
            {
                newestFirst.Add(record);
                positions?.Add(new EventPosition(day, offset + line.Length + 1));
                count++;
            }

            return count < want;
        });
        found = count;
    }
}
