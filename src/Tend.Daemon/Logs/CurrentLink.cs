using Tend.Core.Persistence;

namespace Tend.Daemon.Logs;

/// <summary>
/// Points <c>current.log</c> at the file being written. A temp symlink renamed over the old one,
/// so a reader following <c>current.log</c> finds the old file or the new, never nothing.
/// The target is relative so that the directory can be moved or mounted elsewhere.
/// </summary>
internal static class CurrentLink
{
    public static void PointAt(string file)
    {
        var directory = Path.GetDirectoryName(file) ?? ".";
        var link = Path.Combine(directory, LogFileName.Current);
        var temp = Path.Combine(directory, $".{LogFileName.Current}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            File.Delete(temp);
            File.CreateSymbolicLink(temp, Path.GetFileName(file));
            File.Move(temp, link, overwrite: true);
        }
        catch
        {
            // The link update already failed; a stray temp link is the lesser problem.
            FileCleanup.TryDelete(temp);
            throw;
        }
    }

    /// <summary>The file <c>current.log</c> points at, or null when there is no link (or it is dangling).</summary>
    public static string? Resolve(string directory)
    {
        var link = new FileInfo(Path.Combine(directory, LogFileName.Current));
        try
        {
            var target = link.LinkTarget;
            if (target is null)
            {
                return null;
            }

            var full = Path.GetFullPath(target, directory);
            return File.Exists(full) ? full : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
