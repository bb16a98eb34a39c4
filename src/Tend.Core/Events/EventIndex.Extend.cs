using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Tend.Core.Events;

internal sealed partial class EventIndex
{
    private const int ReadSize = 1024 * 1024;

    /// <summary>
    /// Adds the blocks of [<see cref="Covered"/>, <paramref name="to"/>) of <paramref name="file"/>,
    /// <paramref name="to"/> being where a line begins. Reads those bytes once, parsing no JSON.
    /// </summary>
    /// <returns>The bytes read.</returns>
    public long Extend(SafeFileHandle file, long to)
    {
        var buffer = new byte[ReadSize];
        var held = 0;
        var position = Covered;
        var blockStart = Covered;
        var block = -1;
        long bytesRead = 0;
        while (position < to)
        {
            if (held == buffer.Length)
            {
                // One line longer than the buffer: grow it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = RandomAccess.Read(file, buffer.AsSpan(held, (int)Math.Min(buffer.Length - held, to - position)), position);
            if (read == 0)
            {
                // The file shrank since it was measured: index what was read.
                break;
            }

            bytesRead += read;
            position += read;
            var data = buffer.AsSpan(0, held + read);
            var dataStart = position - data.Length;
            var consumed = 0;
            while (data[consumed..].IndexOf((byte)'\n') is var next and >= 0)
            {
                var newline = consumed + next;
                if (block < 0)
                {
                    block = starts.Count;
                    starts.Add(blockStart);
                }

                Note(block, data[consumed..newline]);
                consumed = newline + 1;
                if (dataStart + consumed - blockStart >= BlockSize)
                {
                    blockStart = dataStart + consumed;
                    block = -1;
                }
            }

            data[consumed..].CopyTo(buffer);
            held = data.Length - consumed;
            Covered = dataStart + consumed;
        }

        return bytesRead;
    }

    /// <summary>Records the kind and component of one line in <paramref name="block"/>.</summary>
    private void Note(int block, ReadOnlySpan<byte> line)
    {
        if (!EventLineKeys.TryRead(line, out var keys))
        {
            if (!line.Trim(" \t\r"u8).IsEmpty)
            {
                unsure.Add(block);
            }

            return;
        }

        Of(kinds, keys.Kind).Add(block);
        if (!keys.StackWide)
        {
            Of(components, keys.Component).Add(block);
        }
    }

    private static BlockSet Of(Dictionary<string, BlockSet> names, ReadOnlySpan<byte> name)
    {
        // Names are short: looked up as characters on the stack, a string made only for a new one.
        Span<char> chars = stackalloc char[256];
        var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (name.Length <= chars.Length && Encoding.UTF8.TryGetChars(name, chars, out var written))
        {
            if (lookup.TryGetValue(chars[..written], out var found))
            {
                return found;
            }
        }

        // A new name, or one too long for the stack buffer: looked up by its string, never replaced.
        var key = Encoding.UTF8.GetString(name);
        if (!names.TryGetValue(key, out var blocks))
        {
            blocks = new BlockSet();
            names[key] = blocks;
        }

        return blocks;
    }
}
