using System.Runtime.CompilerServices;

namespace Tend.Daemon.Logs;

public sealed partial class ComponentLogs
{
    /// <summary>What `tend logs` shows, read here or through the daemon: the last lines, then (following) every new one.</summary>
    public async IAsyncEnumerable<LogLine> ReadAsync(int last, int? run, bool follow, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tail = await TailAsync(last, run, cancellationToken);
        foreach (var line in tail.Lines)
        {
            yield return line;
        }

        if (!follow)
        {
            yield break;
        }

        await foreach (var line in FollowAsync(tail.End, run, time, cancellationToken: cancellationToken))
        {
            yield return line;
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> lines of a run (default: the current run), across its
    /// rotated files, read from the end. A last line still being written is left for
    /// <see cref="FollowAsync"/>, which starts at <see cref="LogTail.End"/>.
    /// </summary>
    public async Task<LogTail> TailAsync(int count, int? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var chosen = run ?? CurrentRun();
        var files = chosen is { } r ? FilesOf(r) : [];
        if (files.Count == 0)
        {
            return new LogTail(chosen, [], new LogPosition(null, 0));
        }

        var pieces = new List<List<LogLine>>();
        var needed = count;
        LogPosition? end = null;
        for (var i = files.Count - 1; i >= 0; i--)
        {
            using var handle = TryOpen(files[i].Path);
            if (handle is null)
            {
                // Deleted by retention while we read: older parts are gone too.
                break;
            }

            var length = RandomAccess.GetLength(handle);
            var isLast = end is null;
            var stop = isLast ? await LogFileScan.CompleteEndAsync(handle, length, cancellationToken) : length;
            end ??= new LogPosition(files[i].Path, stop);
            if (needed == 0)
            {
                break;
            }

            var (start, found) = await LogFileScan.FindLastLinesAsync(handle, stop, needed, cancellationToken);
            pieces.Add(await LogFileScan.ReadLinesAsync(handle, start, stop, cancellationToken));
            needed -= found;
            if (needed == 0)
            {
                break;
            }
        }

        pieces.Reverse();
        return new LogTail(chosen, pieces.SelectMany(p => p).ToList(), end ?? new LogPosition(null, 0));
    }
}
