using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>
/// Opens a file a round wrote without risking the supervisor: with O_NONBLOCK, a FIFO put where
/// the sentinel belongs opens at once and reads as an error, where .NET's File.OpenRead would wait
/// for a writer for ever. On a regular file the flag changes nothing.
/// </summary>
internal static partial class NonBlockingFile
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    public static FileStream OpenRead(string path)
    {
        var descriptor = Open(path, ReadOnly | NonBlocking | CloseOnExec, 0);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == 13
                ? new UnauthorizedAccessException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}")
                : new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Read, bufferSize: 0);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);
}
