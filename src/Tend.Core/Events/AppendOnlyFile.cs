using System.Runtime.InteropServices;

namespace Tend.Core.Events;

/// <summary>
/// A file opened with <c>O_APPEND</c>, written with plain <c>write(2)</c>. .NET's
/// <c>FileMode.Append</c> does not set <c>O_APPEND</c>: it seeks to the end once and then writes
/// at its own remembered offset, so two processes appending to one file overwrite each other's
/// lines. With <c>O_APPEND</c> the kernel moves every write to the end of the file atomically.
/// </summary>
internal sealed partial class AppendOnlyFile : IDisposable
{
    // asm-generic values, the same on x86-64 and arm64 Linux.
    private const int O_RDWR = 0x2;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;
    private const int UserReadWrite = 0x180; // 0600: events can hold command lines and log tails.
    private const int SEEK_CUR = 1;
    private const int SEEK_END = 2;
    private const int EINTR = 4;

    private int descriptor;

    private AppendOnlyFile(int descriptor, string path)
    {
        this.descriptor = descriptor;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating it if needed) <paramref name="path"/> for appending; null and the errno when it cannot.</summary>
    public static AppendOnlyFile? TryOpen(string path, out int errno)
    {
        int descriptor;
        do
        {
            descriptor = Open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, UserReadWrite);
            errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (descriptor < 0 && errno == EINTR);

        return descriptor < 0 ? null : new AppendOnlyFile(descriptor, path);
    }

    /// <summary>
    /// False when the file is not empty and its last byte is not a newline: a writer was killed
    /// mid-line, or (rarely) another writer's line is being written right now.
    /// </summary>
    public unsafe bool EndsWithNewline()
    {
        var size = Seek(descriptor, 0, SEEK_END);
        if (size <= 0)
        {
            return true;
        }

        byte last;
        return ReadAt(descriptor, &last, 1, size - 1) != 1 || last == (byte)'\n';
    }

    /// <summary>Writes all of <paramref name="bytes"/> at the end of the file; 0, or the errno of the failure.</summary>
    /// <param name="bytes">The whole line, so that one call writes it in one piece.</param>
    /// <param name="written">How many bytes reached the file: fewer than asked after a failure midway.</param>
    public unsafe int Write(ReadOnlySpan<byte> bytes, out long written)
    {
        written = 0;
        fixed (byte* start = bytes)
        {
            while (written < bytes.Length)
            {
                // One call for the whole line; a second only after a short write (a disk filling up, a signal).
                var result = WriteBytes(descriptor, start + written, (nuint)(bytes.Length - written));
                if (result < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    return errno;
                }

                written += result;
            }
        }

        return 0;
    }

    /// <summary>
    /// Takes back the <paramref name="written"/> bytes a failed <see cref="Write"/> left at the
    /// end of the file (a disk that filled up midway), so the file still ends with a whole line.
    /// Only when nobody appended after them: another writer's line must not go with them; then
    /// the fragment stays, and the next line written here ends it first.
    /// </summary>
    /// <returns>True when the file ends where it did before that write.</returns>
    public bool TakeBack(long written)
    {
        if (written <= 0)
        {
            return true;
        }

        var end = Position();
        if (end < written || Size() != end)
        {
            return false;
        }

        int result;
        do
        {
            // Shrinking a file frees blocks: it works on a full disk.
            result = Truncate(descriptor, end - written);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == EINTR);

        return result == 0;
    }

    /// <summary>The offset just past this descriptor's last write: with O_APPEND, the end of the file as that write left it.</summary>
    public long Position() => Seek(descriptor, 0, SEEK_CUR);

    /// <summary>The size of the file now, whoever wrote it; the next O_APPEND write goes there anyway.</summary>
    public long Size() => Seek(descriptor, 0, SEEK_END);

    /// <summary>fsync(2): 0, or the errno.</summary>
    public int Sync() => FileSync(descriptor) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public void Dispose()
    {
        var open = Interlocked.Exchange(ref descriptor, -1);
        if (open >= 0)
        {
            // close(2) of a regular file after an error is still a close: nothing to retry.
            _ = Close(open);
        }
    }

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteBytes(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static unsafe partial nint ReadAt(int descriptor, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Seek(int descriptor, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int Truncate(int descriptor, long length);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
