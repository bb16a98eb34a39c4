using Microsoft.Win32.SafeHandles;

namespace Tend.Daemon.Logs;

/// <summary>
/// Reads a log file from its end in blocks, so that the last lines of a 100 MB file cost a few
/// reads, not the whole file.
/// </summary>
internal static class LogFileScan
{
    private const int BlockBytes = 64 * 1024;

    /// <summary>The end of the last whole line: a last line still being written is not taken.</summary>
    public static async Task<long> CompleteEndAsync(SafeFileHandle file, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[BlockBytes];
        for (var end = length; end > 0;)
        {
            var start = Math.Max(0, end - BlockBytes);
            var read = await ReadExactlyAsync(file, buffer.AsMemory(0, (int)(end - start)), start, cancellationToken);
            var newline = buffer.AsSpan(0, read).LastIndexOf(LogLineFormat.Newline);
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }

    /// <summary>
    /// Where the last <paramref name="count"/> lines of <c>[0, end)</c> start, and how many lines
    /// there are from there (fewer than asked when the file is short).
    /// </summary>
    public static async Task<(long Start, int Found)> FindLastLinesAsync(SafeFileHandle file, long end, int count, CancellationToken cancellationToken)
    {
        if (count <= 0 || end <= 0)
        {
            return (end, 0);
        }

        var buffer = new byte[BlockBytes];
        // The newline that ends the last line does not start a line.
        var scanEnd = await ByteAtAsync(file, end - 1, cancellationToken) == LogLineFormat.Newline ? end - 1 : end;
        var found = 0;
        while (scanEnd > 0)
        {
            var start = Math.Max(0, scanEnd - BlockBytes);
            var read = await ReadExactlyAsync(file, buffer.AsMemory(0, (int)(scanEnd - start)), start, cancellationToken);
            var span = buffer.AsSpan(0, read);
            int newline;
            while ((newline = span.LastIndexOf(LogLineFormat.Newline)) >= 0)
            {
                found++;
                if (found == count)
                {
                    return (start + newline + 1, count);
                }

                span = span[..newline];
            }

            scanEnd = start;
        }

        // Reached the start: the first line has no newline before it.
        return (0, found + 1);
    }

    /// <summary>The lines of <c>[start, end)</c>; a last piece without a newline counts as a line.</summary>
    public static async Task<List<LogLine>> ReadLinesAsync(SafeFileHandle file, long start, long end, CancellationToken cancellationToken)
    {
        var lines = new List<LogLine>();
        if (end <= start)
        {
            return lines;
        }

        var bytes = new byte[end - start];
        var read = await ReadExactlyAsync(file, bytes, start, cancellationToken);
        var rest = bytes.AsSpan(0, read);
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf(LogLineFormat.Newline);
            if (newline < 0)
            {
                lines.Add(LogLine.Parse(rest));
                break;
            }

            lines.Add(LogLine.Parse(rest[..newline]));
            rest = rest[(newline + 1)..];
        }

        return lines;
    }

    /// <summary>The time of the line that starts at <paramref name="start"/>, if it parses.</summary>
    public static async Task<DateTimeOffset?> TimeAtAsync(SafeFileHandle file, long start, CancellationToken cancellationToken)
    {
        var buffer = new byte[LogLineFormat.TimestampLength];
        var read = await ReadExactlyAsync(file, buffer, start, cancellationToken);
        return read == buffer.Length && LogLineFormat.TryParseTimestamp(buffer, out var time) ? time : null;
    }

    public static async Task<int> ReadExactlyAsync(SafeFileHandle file, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(file, buffer[total..], offset + total, cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static async Task<byte> ByteAtAsync(SafeFileHandle file, long offset, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        return await ReadExactlyAsync(file, one, offset, cancellationToken) == 1 ? one[0] : (byte)0;
    }
}
