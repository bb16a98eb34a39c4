namespace Tend.Core.Persistence;

/// <summary>Removing a file that is only in the way: a stray temp file, a stale socket, a probe.</summary>
public static class FileCleanup
{
    /// <summary>Deletes <paramref name="path"/>; a failure is left for a later clean-up, never thrown: the caller has something more important to report or do.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind, which each caller can afford (see where it is called).
        }
    }
}
