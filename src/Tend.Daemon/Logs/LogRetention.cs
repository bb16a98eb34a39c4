namespace Tend.Daemon.Logs;

/// <summary>
/// Keeps a component's log files to a count: the oldest (by run, then part) go first, and the
/// file being written is never deleted. Counting files, not days, is what bounds the disk.
/// </summary>
internal static class LogRetention
{
    /// <summary>Deletes the excess; returns the last error (a file that would not go), if any.</summary>
    public static string? Apply(string directory, int keep, string live)
    {
        // Names only first: within the limit (the usual case, once per run) no file is stat'ed.
        if (CountNames(directory) <= keep)
        {
            return null;
        }

        var files = LogFiles.List(directory);
        var excess = files.Count - keep;
        string? error = null;
        foreach (var file in files)
        {
            if (excess <= 0)
            {
                break;
            }

            if (string.Equals(file.Path, live, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                File.Delete(file.Path);
                excess--;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"cannot delete old log {file.Path}: {e.Message}";
            }
        }

        return error;
    }

    private static int CountNames(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory, LogFileName.Pattern).Count(path => LogFileName.TryParse(Path.GetFileName(path), out _, out _));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
