using Tend.Core.Text;

namespace Tend.Core.Backup;

/// <summary>A full disk, as the diagnosis says it: where, and how much is free there now.</summary>
public static class DiskSpace
{
    public static bool IsFull(string text) => text.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    /// <summary>ENOSPC (28): .NET on Linux keeps the errno in the exception's HResult, and its message says it too.</summary>
    public static bool IsFull(IOException exception) => exception is not null && ((exception.HResult & 0xFFFF) == 28 || IsFull(exception.Message));

    public static BackupProblem Problem(string what, string directory, string said)
    {
        // A backup's hidden staging directory is gone by the time this is read: name where backups go.
        if (Path.GetFileName(directory) is { } name && name.StartsWith('.') && name.EndsWith(".partial", StringComparison.Ordinal))
        {
            directory = Path.GetDirectoryName(directory) ?? directory;
        }

        // Called before the partial file is deleted: the figure is what was left when the write failed.
        var free = FreeBytes(directory) is { } bytes ? $" ({Quantities.FormatSize(bytes)} free)" : "";
        return new BackupProblem(
            what,
            $"no space left on device on {directory}{free}; {said}",
            $"make room, or point [stack] backups at a bigger disk; `df -h {ShellWords.Quote(directory)}` shows the space",
            "older backups: `tend backup --list`, and keep = N in the component's backup prunes them");
    }

    public static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
