namespace Tend.Core.Events;

/// <summary>One complete line of a daily file to the event on it, the same whichever way the file is read.</summary>
internal static class EventLineParser
{
    // Every line a writer of ours starts, and a string value can never hold unescaped.
    private static ReadOnlySpan<byte> LineStart => "{\"ts\":"u8;

    /// <summary>
    /// The matching event on <paramref name="line"/> (without its newline); null for a line that
    /// does not match, is blank, or is not an event (counted in <paramref name="malformed"/>).
    /// A line in the writer's shape whose kind or component cannot match is passed over unparsed.
    /// </summary>
    public static EventRecord? Read(ReadOnlySpan<byte> line, EventFilter filter, EventKeyFilter keys, ref int malformed)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            // Blank: an ended fragment's newline, or an editor's. Not an event, not damage.
            return null;
        }

        if (keys.IsSelective && EventLineKeys.TryRead(line, out var read) && !keys.MayMatch(read))
        {
            return null;
        }

        var record = EventJson.Parse(line);
        if (record is null)
        {
            malformed++;

            // A killed writer's fragment with the next writer's line glued to it: the line
            // is still whole after the last place an event starts.
            var start = line.LastIndexOf(LineStart);
            record = start > 0 ? EventJson.Parse(line[start..]) : null;
        }

        return record is not null && filter.Matches(record) ? record : null;
    }
}
