using Microsoft.Win32.SafeHandles;

namespace Tend.Core.Events;

/// <summary>Takes one line (without its newline) and where it begins in the file; false to stop reading after it.</summary>
internal delegate bool LineVisitor(ReadOnlySpan<byte> line, long offset);

/// <summary>
/// The complete lines of a stretch of a file, last first, read in blocks from its end: the last
/// lines of a file of any size cost a block or two. Bytes after the last newline are a line
/// still being written (or a killed writer's fragment) and are not visited.
/// </summary>
internal sealed class BackwardLines
{
    private const int BlockSize = 64 * 1024;

    private byte[] buffer = new byte[BlockSize];

    /// <summary>Bytes read from files so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Visits the complete lines of [<paramref name="start"/>, <paramref name="end"/>), <paramref name="start"/> being where a line begins.</summary>
    /// <returns>Where it stopped: every line from there to <paramref name="end"/> was visited; <paramref name="start"/> when all were.</returns>
    public long Read(SafeFileHandle file, long start, long end, LineVisitor visit)
    {
        // The bytes held are buffer[low..] = the file's [fileLow, fileLow + buffer.Length - low).
        var low = buffer.Length;
        var fileLow = end;

        // The newline ending the next line to visit (an index into buffer); -1 until found.
        var lineEnd = -1;
        while (true)
        {
            if (lineEnd < 0)
            {
                var newline = buffer.AsSpan(low).LastIndexOf((byte)'\n');
                if (newline >= 0)
                {
                    lineEnd = low + newline;
                    continue;
                }

                // A torn last line, all of it: nothing of it is wanted.
                low = buffer.Length;
            }
            else
            {
                var previous = buffer.AsSpan(low, lineEnd - low).LastIndexOf((byte)'\n');
                if (previous >= 0)
                {
                    var lineStart = low + previous + 1;
                    var offset = fileLow + (lineStart - low);
                    if (!visit(buffer.AsSpan(lineStart, lineEnd - lineStart), offset))
                    {
                        return offset;
                    }

                    lineEnd = lineStart - 1;
                    continue;
                }

                if (fileLow == start)
                {
                    // The first line of the stretch: it begins at its start.
                    visit(buffer.AsSpan(low, lineEnd - low), fileLow);
                    return fileLow;
                }
            }

            if (fileLow == start)
            {
                // No newline at all: the stretch is one torn line.
                return start;
            }

            if (!ReadBefore(file, start, ref low, ref fileLow, ref lineEnd))
            {
                // The file shrank under us (truncated by hand): what was visited stands.
                return fileLow;
            }
        }
    }

    /// <summary>Reads the block before the start of a line not yet whole, which stays after it; the lines visited are let go.</summary>
    private bool ReadBefore(SafeFileHandle file, long start, ref int low, ref long fileLow, ref int lineEnd)
    {
        var kept = lineEnd < 0 ? 0 : lineEnd + 1 - low;
        var want = (int)Math.Min(BlockSize, fileLow - start);
        var target = buffer;
        if (buffer.Length - kept < want)
        {
            // A line longer than a block: grow.
            target = new byte[Math.Max(buffer.Length * 2, kept + want)];
        }

        buffer.AsSpan(low, kept).CopyTo(target.AsSpan(target.Length - kept));
        buffer = target;
        low = buffer.Length - kept;
        lineEnd = kept == 0 ? -1 : buffer.Length - 1;

        var into = buffer.AsSpan(low - want, want);
        var total = 0;
        while (total < want)
        {
            var read = RandomAccess.Read(file, into[total..], fileLow - want + total);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        BytesRead += want;
        low -= want;
        fileLow -= want;
        return true;
    }
}
