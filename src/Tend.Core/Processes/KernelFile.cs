using System.Runtime.InteropServices;

namespace Tend.Core.Processes;

/// <summary>
/// Reads a small file of /proc or /sys with open(2), read(2) and close(2). By hand because the
/// usage sampler reads a stat file per process and a cgroup file per run every sample, and .NET's
/// File.OpenHandle adds an fstat and a flock(2) to each open (FileShare emulation): measured, the
/// sample of 50 services spent 3.5 ms there, for files the kernel writes on demand and nobody locks.
/// </summary>
public static partial class KernelFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>Fills <paramref name="buffer"/> from the start of the file; the bytes read, or -1 when it cannot be opened (gone, not allowed).</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        var descriptor = Open(path, ReadOnly | CloseOnExec);
        if (descriptor < 0)
        {
            return -1;
        }

        try
        {
            var total = 0;
            while (total < buffer.Length)
            {
                int read;
                unsafe
                {
                    fixed (byte* at = buffer[total..])
                    {
                        read = (int)ReadBytes(descriptor, at, (nuint)(buffer.Length - total));
                    }
                }

                if (read < 0 && Marshal.GetLastPInvokeError() == 4)
                {
                    continue; // EINTR
                }

                if (read <= 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        finally
        {
            // A close of a read-only descriptor has nothing to report that the read did not.
            _ = CloseDescriptor(descriptor);
        }
    }

    /// <summary>
    /// Writes all of <paramref name="bytes"/> to an open descriptor with write(2), which moves the
    /// offset it shares with other processes (a FileStream over stdout redirected to a file writes
    /// with pwrite(2) at an offset of its own, and the next writer of that file overwrites it).
    /// Returns 0, or the errno that stopped it (EPIPE when the reader went away).
    /// </summary>
    public static int WriteAll(int descriptor, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            nint written;
            unsafe
            {
                fixed (byte* at = bytes)
                {
                    written = WriteBytes(descriptor, at, (nuint)bytes.Length);
                }
            }

            if (written < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == 4)
                {
                    continue; // EINTR
                }

                return error;
            }

            bytes = bytes[(int)written..];
        }

        return 0;
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteBytes(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadBytes(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int descriptor);
}
