namespace Tend.Core.Events;

/// <summary>A place in the daily files: the day's file, and a byte offset just past a complete line.</summary>
public sealed record EventPosition(DateOnly Day, long Offset)
{
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
