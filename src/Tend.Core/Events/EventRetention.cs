namespace Tend.Core.Events;

/// <summary>
/// How many event files a daemon keeps, as the logs keep theirs: daily files older than
/// <see cref="KeepDays"/> go, then the oldest until all of them fit in <see cref="MaxBytes"/>.
/// The file being written is never deleted; past <see cref="MaxBytes"/> on its own, the events
/// of the rest of its day are counted as lost (see <see cref="EventLog"/>). The index kept beside
/// a file (see <see cref="EventIndexFile"/>) goes with it.
/// </summary>
public sealed record EventRetention(long MaxBytes, int KeepDays)
{
    public static EventRetention Default { get; } = new(100_000_000, 30);

    /// <summary>Deletes what is past the limits, oldest first; the last error (a file that would not go), if any.</summary>
    /// <param name="live">The file being written, which stays whatever its size.</param>
    public string? Apply(string directory, DateOnly today, string? live)
    {
        var files = EventFiles.List(directory);
        var sizes = new long[files.Count];
        long total = 0;
        for (var i = 0; i < files.Count; i++)
        {
            sizes[i] = SizeOf(files[i].Path);
            total += sizes[i];
        }

        string? error = null;
        var oldestKept = today.AddDays(-(KeepDays - 1));
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (string.Equals(file.Path, live, StringComparison.Ordinal) || (total <= MaxBytes && file.Day >= oldestKept))
            {
                continue;
            }

            try
            {
                File.Delete(file.Path);
                total -= sizes[i];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"cannot delete old events {file.Path}: {e.Message}";
            }
        }

        return DeleteOrphanIndexes(directory) ?? error;
    }

    /// <summary>Deletes the index of each daily file that is gone (by this clean-up, by hand); the last error, if any.</summary>
    private static string? DeleteOrphanIndexes(string directory)
    {
        string? error = null;
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory, "events-*" + EventIndexFile.PathFor(".jsonl")))
            {
                if (EventIndexFile.IsSidecar(path, out var eventFile) && !File.Exists(eventFile))
                {
                    try
                    {
                        File.Delete(path);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        error = $"cannot delete the index of old events {path}: {e.Message}";
                    }
                }
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // No directory, no index to delete.
        }

        return error;
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
