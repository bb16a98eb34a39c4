namespace Tend.Daemon.Logs;

/// <summary>The run log files of one component directory, oldest first (by run, then part).</summary>
internal static class LogFiles
{
    public static IReadOnlyList<RunLogFile> List(string directory)
    {
        var files = new List<RunLogFile>();
        try
        {
            foreach (var info in new DirectoryInfo(directory).EnumerateFiles(LogFileName.Pattern))
            {
                if (LogFileName.TryParse(info.Name, out var run, out var part) && info.LinkTarget is null)
                {
                    files.Add(new RunLogFile(info.FullName, run, part, SafeLength(info)));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No directory (no run yet, or deleted): no files.
        }

        files.Sort(static (a, b) => a.Run != b.Run ? a.Run.CompareTo(b.Run) : a.Part.CompareTo(b.Part));
        return files;
    }

    private static long SafeLength(FileInfo info)
    {
        try
        {
            return info.Length;
        }
        catch (IOException)
        {
            // Deleted between listing and stat (retention racing a reader).
            return 0;
        }
    }
}
