using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Tend.Core.Events;

/// <summary>
/// The sidecar of a daily file (<c>events-YYYY-MM-DD.jsonl.idx</c>): its <see cref="EventIndex"/>,
/// a cache that any reader may write and any reader may throw away. Trusted only when whole (a
/// checksum) and when the file still holds the bytes it was built from (a hash of the last
/// kilobytes it covers); otherwise the index is built again. Written to a temporary file and
/// renamed, so a reader sees the old sidecar or the new one.
/// </summary>
internal static class EventIndexFile
{
    private const string Extension = ".idx";
    private const int FingerprintWindow = 4096;
    private const int MaxBytes = 64 * 1024 * 1024;
    private const byte ComponentTag = 0;
    private const byte KindTag = 1;

    private static ReadOnlySpan<byte> Magic => "TENDEVX1"u8;

    public static string PathFor(string eventFile) => eventFile + Extension;

    /// <summary>Whether <paramref name="path"/> is a sidecar's name, and of which daily file.</summary>
    public static bool IsSidecar(string path, out string eventFile)
    {
        eventFile = path.EndsWith(Extension, StringComparison.Ordinal) ? path[..^Extension.Length] : "";
        return eventFile.Length > 0 && EventFiles.TryParseDay(Path.GetFileName(eventFile), out _);
    }

    /// <summary>The index kept beside <paramref name="eventFile"/> if it still describes the file; else an empty one.</summary>
    public static EventIndex Load(string eventFile, SafeFileHandle file, long length)
    {
        byte[] bytes;
        try
        {
            var path = PathFor(eventFile);
            if (!File.Exists(path) || new FileInfo(path).Length > MaxBytes)
            {
                return new EventIndex();
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new EventIndex();
        }

        return Decode(bytes) is { } index && index.Covered <= length && Fingerprint(file, index.Covered) == StoredFingerprint(bytes)
            ? index
            : new EventIndex();
    }

    /// <summary>Keeps <paramref name="index"/> beside <paramref name="eventFile"/>; a directory that cannot be written to keeps none.</summary>
    public static void Save(string eventFile, SafeFileHandle file, EventIndex index)
    {
        var path = PathFor(eventFile);
        var temp = Path.Combine(Path.GetDirectoryName(path) ?? ".", $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            // As private as the events it describes (their names are the stack's).
            using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                stream.Write(Encode(index, Fingerprint(file, index.Covered)));
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache: without it the next query builds the index again.
            try
            {
                File.Delete(temp);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do for a cache.
            }
        }
    }

    /// <summary>A hash of the last bytes of the file's first <paramref name="covered"/>: a file replaced or rewritten since does not match.</summary>
    private static ulong Fingerprint(SafeFileHandle file, long covered)
    {
        Span<byte> window = stackalloc byte[FingerprintWindow];
        var from = Math.Max(0, covered - FingerprintWindow);
        var want = (int)(covered - from);
        var total = 0;
        while (total < want)
        {
            var read = RandomAccess.Read(file, window[total..want], from + total);
            if (read == 0)
            {
                return 0;
            }

            total += read;
        }

        return Fnv(window[..want]);
    }

    private static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static byte[] Encode(EventIndex index, ulong fingerprint)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        output.Write(Magic);
        Int64(output, index.Covered);
        UInt64(output, fingerprint);
        Int32(output, index.Blocks);
        foreach (var start in index.Starts)
        {
            Int64(output, start);
        }

        var words = BlockSet.WordsFor(index.Blocks);
        Int32(output, words);
        Words(output, index.Unsure, words);
        Int32(output, index.Components.Count + index.Kinds.Count);
        foreach (var (tag, names) in new[] { (ComponentTag, index.Components), (KindTag, index.Kinds) })
        {
            foreach (var (name, blocks) in names)
            {
                var bytes = Encoding.UTF8.GetBytes(name);
                output.Write([tag]);
                BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), (ushort)bytes.Length);
                output.Advance(2);
                output.Write(bytes);
                Words(output, blocks, words);
            }
        }

        UInt64(output, Fnv(output.WrittenSpan));
        return output.WrittenSpan.ToArray();
    }

    private static ulong StoredFingerprint(byte[] bytes) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(Magic.Length + 8));

    /// <summary>The index in <paramref name="bytes"/>; null unless they are a whole sidecar of this format.</summary>
    private static EventIndex? Decode(byte[] bytes)
    {
        if (bytes.Length < Magic.Length + 8 + 8 + 4 + 4 + 4 + 8 || !bytes.AsSpan().StartsWith(Magic)
            || Fnv(bytes.AsSpan(0, bytes.Length - 8)) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)))
        {
            return null;
        }

        var reader = new SidecarReader(bytes.AsSpan(Magic.Length, bytes.Length - Magic.Length - 8));
        var covered = reader.Int64();
        reader.Int64();
        var count = reader.Int32();
        if (covered < 0 || count < 0 || count > reader.Left / 8)
        {
            return null;
        }

        var starts = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            var start = reader.Int64();
            if (start < 0 || start >= covered || (i == 0 ? start != 0 : start <= starts[^1]))
            {
                return null;
            }

            starts.Add(start);
        }

        if ((count == 0) != (covered == 0) || reader.Int32() is var words && words != BlockSet.WordsFor(count))
        {
            return null;
        }

        var unsure = reader.Words(words);
        var components = new Dictionary<string, BlockSet>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, BlockSet>(StringComparer.Ordinal);
        for (var names = reader.Int32(); names > 0 && reader.Ok; names--)
        {
            var tag = reader.Byte();
            var name = reader.Text();
            var blocks = reader.Words(words);
            if (tag is not (ComponentTag or KindTag) || name.Length == 0 || !(tag == ComponentTag ? components : kinds).TryAdd(name, blocks))
            {
                return null;
            }
        }

        return reader.Ok && reader.Left == 0 ? new EventIndex(covered, starts, unsure, components, kinds) : null;
    }

    private static void Words(ArrayBufferWriter<byte> output, BlockSet set, int words)
    {
        for (var i = 0; i < words; i++)
        {
            UInt64(output, i < set.Words.Length ? set.Words[i] : 0);
        }
    }

    private static void Int32(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void Int64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void UInt64(ArrayBufferWriter<byte> output, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    /// <summary>Reads a sidecar's fields in order; past the end it reads zeros and is no longer <see cref="Ok"/>.</summary>
    private ref struct SidecarReader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> rest = bytes;

        public bool Ok { get; private set; } = true;

        public readonly int Left => rest.Length;

        public byte Byte() => Take(1) is { Length: 1 } b ? b[0] : (byte)0;

        public int Int32() => Take(4) is { Length: 4 } b ? BinaryPrimitives.ReadInt32LittleEndian(b) : 0;

        public long Int64() => Take(8) is { Length: 8 } b ? BinaryPrimitives.ReadInt64LittleEndian(b) : 0;

        public string Text()
        {
            var length = Take(2) is { Length: 2 } b ? BinaryPrimitives.ReadUInt16LittleEndian(b) : 0;
            return Encoding.UTF8.GetString(Take(length));
        }

        public BlockSet Words(int count)
        {
            var words = new ulong[count];
            for (var i = 0; i < count; i++)
            {
                words[i] = Take(8) is { Length: 8 } b ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
            }

            return new BlockSet(words);
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > rest.Length)
            {
                Ok = false;
                rest = default;
                return default;
            }

            var taken = rest[..count];
            rest = rest[count..];
            return taken;
        }
    }
}
