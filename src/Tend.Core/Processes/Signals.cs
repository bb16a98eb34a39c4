using System.Runtime.InteropServices;

namespace Tend.Core.Processes;

/// <summary>
/// Signals to whole process groups. .NET can signal one process only (Process.Kill), so the
/// group-wide kill(2) with a negative pid comes straight from libc.
/// </summary>
public static partial class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="processGroup"/>; false if none is left.</summary>
    public static bool SendToGroup(int processGroup, int signal)
    {
        if (processGroup <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(processGroup), processGroup, "refusing to signal process group 0/1: that would hit tend itself or init");
        }

        return Kill(-processGroup, signal) == 0;
    }

    public static bool Send(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>Whether any process (zombies included) is in the group: kill(2) with signal 0, no /proc scan.</summary>
    public static bool GroupExists(int processGroup) => processGroup > 1 && Kill(-processGroup, 0) == 0;

    public static int FromPosix(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => SIGINT,
        PosixSignal.SIGTERM => SIGTERM,
        PosixSignal.SIGHUP => SIGHUP,
        _ => SIGTERM,
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
