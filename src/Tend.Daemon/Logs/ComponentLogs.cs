using Microsoft.Win32.SafeHandles;

namespace Tend.Daemon.Logs;

/// <summary>
/// The logs of one component as the CLI reads them (<c>tend logs COMP [-n N] [-f] [--run N]</c>):
/// its runs, the last lines of a run across its rotated files, and following as lines are
/// appended. Read-only: it never takes a lock the writer would wait on.
/// </summary>
public sealed partial class ComponentLogs(string directory)
{
    public string Directory => directory;

    /// <summary>Every run with files on disk, oldest first.</summary>
    public async Task<IReadOnlyList<RunLogInfo>> RunsAsync(CancellationToken cancellationToken = default)
    {
        var current = CurrentRun();
        var runs = new List<RunLogInfo>();
        foreach (var group in LogFiles.List(directory).GroupBy(f => f.Run))
        {
            var files = group.ToList();
            var first = await FirstTimeAsync(files[0], cancellationToken);
            var last = await LastTimeAsync(files[^1], cancellationToken);
            runs.Add(new RunLogInfo(group.Key, files, first, last, group.Key == current));
        }

        return runs;
    }

    /// <summary>The run <c>current.log</c> points at, else the newest run on disk, else null.</summary>
    public int? CurrentRun()
    {
        if (CurrentLink.Resolve(directory) is { } target && LogFileName.TryParse(Path.GetFileName(target), out var run, out _))
        {
            return run;
        }

        var files = LogFiles.List(directory);
        return files.Count == 0 ? null : files[^1].Run;
    }

    /// <summary>The files of a run, in order; empty if the run has none left.</summary>
    public IReadOnlyList<RunLogFile> FilesOf(int run) => LogFiles.List(directory).Where(f => f.Run == run).ToList();

    private static async Task<DateTimeOffset?> FirstTimeAsync(RunLogFile file, CancellationToken cancellationToken)
    {
        using var handle = TryOpen(file.Path);
        return handle is null ? null : await LogFileScan.TimeAtAsync(handle, 0, cancellationToken);
    }

    private static async Task<DateTimeOffset?> LastTimeAsync(RunLogFile file, CancellationToken cancellationToken)
    {
        using var handle = TryOpen(file.Path);
        if (handle is null)
        {
            return null;
        }

        var end = await LogFileScan.CompleteEndAsync(handle, RandomAccess.GetLength(handle), cancellationToken);
        var (start, found) = await LogFileScan.FindLastLinesAsync(handle, end, 1, cancellationToken);
        return found == 0 ? null : await LogFileScan.TimeAtAsync(handle, start, cancellationToken);
    }

    /// <summary>Opens for reading while the writer appends, rotates or retention deletes; null if already gone.</summary>
    internal static SafeFileHandle? TryOpen(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
