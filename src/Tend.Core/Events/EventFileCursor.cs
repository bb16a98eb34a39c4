namespace Tend.Core.Events;

/// <summary>
/// A position in one daily file, just after its last complete line. Reading moves it over the
/// complete lines added since; a last line without its newline (a write in progress, a writer
/// killed mid-line) is left for a later read, so it is never yielded torn.
/// </summary>
internal sealed class EventFileCursor(EventFile file)
{
    private const int Chunk = 64 * 1024;

    private byte[] buffer = [];

    public EventFile File { get; } = file;

    public long Offset { get; private set; }

    /// <summary>Read no further than this offset (a history read up to a subscription's start); null for the whole file.</summary>
    public long? Limit { get; init; }

    /// <summary>
    /// Reads the next complete lines (about <see cref="Chunk"/> bytes of them) into <paramref name="events"/>;
    /// false when there is no complete line to read.
    /// </summary>
    /// <param name="malformed">Lines that are not events, skipped.</param>
    /// <param name="positions">When given, gets the place just past each event's line, in step with <paramref name="events"/>.</param>
    public bool ReadNext(List<EventRecord> events, EventFilter filter, out int malformed, List<EventPosition>? positions = null)
    {
        malformed = 0;
        try
        {
            using var stream = new FileStream(File.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            var length = Math.Min(stream.Length, Limit ?? long.MaxValue);
            if (length < Offset)
            {
                // Truncated or replaced by hand: what is there now is new.
                Offset = 0;
            }

            for (var want = (int)Math.Min(length - Offset, Chunk); want > 0; want = (int)Math.Min(length - Offset, (long)want * 2))
            {
                if (buffer.Length < want)
                {
                    buffer = new byte[want];
                }

                stream.Position = Offset;
                var read = ReadFully(stream, buffer.AsSpan(0, want));
                var end = buffer.AsSpan(0, read).LastIndexOf((byte)'\n');
                if (end >= 0)
                {
                    malformed = ParseLines(buffer.AsSpan(0, end + 1), events, filter, positions is null ? null : (positions, File.Day, Offset));
                    Offset += end + 1;
                    return true;
                }

                if (read < want || Offset + read >= length)
                {
                    // Only the torn tail is left.
                    return false;
                }

                // One line longer than the chunk: read more of it.
            }

            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Moves to <paramref name="offset"/>, a place just after a whole line (ReadNext starts over from 0 when the file is shorter).</summary>
    public void Seek(long offset) => Offset = Math.Max(0, offset);

    /// <summary>Moves to the end of the last complete line without reading the lines before it.</summary>
    public void SkipToEnd()
    {
        try
        {
            using var stream = new FileStream(File.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            var window = new byte[4096];
            for (var end = stream.Length; end > 0;)
            {
                var start = Math.Max(0, end - window.Length);
                stream.Position = start;
                var read = ReadFully(stream, window.AsSpan(0, (int)(end - start)));
                var newline = window.AsSpan(0, read).LastIndexOf((byte)'\n');
                if (newline >= 0)
                {
                    Offset = start + newline + 1;
                    return;
                }

                end = start;
            }

            Offset = 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Offset = 0;
        }
    }

    private static int ParseLines(ReadOnlySpan<byte> lines, List<EventRecord> events, EventFilter filter, (List<EventPosition> List, DateOnly Day, long Base)? positions)
    {
        var malformed = 0;
        var keys = new EventKeyFilter(filter);
        foreach (var range in lines.Split((byte)'\n'))
        {
            if (EventLineParser.Read(lines[range], filter, keys, ref malformed) is { } record)
            {
                events.Add(record);
                if (positions is { } at)
                {
                    at.List.Add(new EventPosition(at.Day, at.Base + range.End.GetOffset(lines.Length) + 1));
                }
            }
        }

        return malformed;
    }

    private static int ReadFully(FileStream stream, Span<byte> into)
    {
        var total = 0;
        while (total < into.Length)
        {
            var read = stream.Read(into[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
