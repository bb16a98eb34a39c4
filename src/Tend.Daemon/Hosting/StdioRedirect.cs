using System.Runtime.InteropServices;

namespace Tend.Daemon.Hosting;

/// <summary>
/// Points the daemon's own stdin at /dev/null and stdout/stderr at its log file, at the file
/// descriptor level: a detached daemon must not write to the terminal it was started from, and
/// .NET's Console.SetOut would not cover messages the runtime itself writes.
/// </summary>
public static partial class StdioRedirect
{
    private const int ReadOnly = 0;
    private const int WriteOnlyCreateAppend = 0x1 | 0x40 | 0x400;

    public static void Detach(string logPath)
    {
        var devNull = Open("/dev/null", ReadOnly, 0);
        var log = Open(logPath, WriteOnlyCreateAppend, 0x180);
        if (devNull < 0 || log < 0)
        {
            throw new IOException($"cannot open /dev/null or {logPath} (errno {Marshal.GetLastPInvokeError()})");
        }

        Dup2(devNull, 0);
        Dup2(log, 1);
        Dup2(log, 2);
        _ = Close(devNull);
        _ = Close(log);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
