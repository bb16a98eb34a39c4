namespace Tend.Core.Events;

/// <summary>A place in the daily files: the day's file, and a byte offset just past a complete line.</summary>
public sealed record EventPosition(DateOnly Day, long Offset)
{
    /// <summary>
    /// The position as one opaque token, <c>YYYYMMDD-OFFSET</c>: an event's id in the HTTP API and
    /// its SSE stream (a reconnecting browser sends it back as Last-Event-ID). Positions outlive
    /// the daemon, since they are places in the files.
    /// </summary>
    public string ToId() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Day:yyyyMMdd}-{Offset}");

    public static bool TryParseId(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventPosition? position)
    {
        position = null;
        var dash = id?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash != 8
            || !DateOnly.TryParseExact(id![..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            || !long.TryParse(id.AsSpan(9), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }

        position = new EventPosition(day, offset);
        return true;
    }

    /// <summary>The end of the newest file in <paramref name="directory"/> now; null when there is none.</summary>
    public static EventPosition? EndOf(string directory)
    {
        var files = EventFiles.List(directory);
        if (files.Count == 0)
        {
            return null;
        }

        try
        {
            return new EventPosition(files[^1].Day, new FileInfo(files[^1].Path).Length);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
