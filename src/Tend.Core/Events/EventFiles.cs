using System.Globalization;

namespace Tend.Core.Events;

/// <summary>A daily event file: <c>events-YYYY-MM-DD.jsonl</c>, holding the events of one UTC date.</summary>
public sealed record EventFile(DateOnly Day, string Path);

/// <summary>Names of the daily event files and how to find them.</summary>
public static class EventFiles
{
    private const string Prefix = "events-";
    private const string Extension = ".jsonl";
    private const string DayFormat = "yyyy-MM-dd";

    public static string FileName(DateOnly day) => Prefix + day.ToString(DayFormat, CultureInfo.InvariantCulture) + Extension;

    public static string PathFor(string directory, DateOnly day) => Path.Combine(directory, FileName(day));

    public static bool TryParseDay(string fileName, out DateOnly day)
    {
        day = default;
        return fileName.StartsWith(Prefix, StringComparison.Ordinal)
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && DateOnly.TryParseExact(fileName[Prefix.Length..^Extension.Length], DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    /// <summary>The daily files in <paramref name="directory"/>, oldest first; none when it does not exist.</summary>
    public static IReadOnlyList<EventFile> List(string directory)
    {
        try
        {
            var files = new List<EventFile>();
            foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Extension))
            {
                if (TryParseDay(Path.GetFileName(path), out var day))
                {
                    files.Add(new EventFile(day, path));
                }
            }

            files.Sort((a, b) => a.Day.CompareTo(b.Day));
            return files;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // No events yet (the daemon never ran) is not an error for a reader.
            return [];
        }
    }
}
