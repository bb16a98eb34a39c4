using System.Runtime.InteropServices;

namespace Tend.Core.Processes;

/// <summary>
/// The one table of signals tend names (stop signals, `tend kill -s`, events) and the sending of
/// them to whole process groups. .NET can signal one process only (Process.Kill), so the
/// group-wide kill(2) with a negative pid comes straight from libc.
/// </summary>
public static partial class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGPIPE = 13;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    /// <summary>Signal names without the SIG prefix, as a stack file writes them, with their numbers (Linux x86-64 and arm64).</summary>
    public static readonly IReadOnlyDictionary<string, int> ByName = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["TERM"] = SIGTERM,
        ["INT"] = SIGINT,
        ["HUP"] = SIGHUP,
        ["QUIT"] = SIGQUIT,
        ["KILL"] = SIGKILL,
        ["USR1"] = SIGUSR1,
        ["USR2"] = SIGUSR2,
        ["CONT"] = SIGCONT,
        ["STOP"] = SIGSTOP,
    };

    /// <summary>"SIGTERM" for 15; "SIG34" for a number without a name.</summary>
    public static string Name(int signal) => signal switch
    {
        SIGPIPE => "SIGPIPE",
        _ => ByName.FirstOrDefault(p => p.Value == signal).Key is { } name ? $"SIG{name}" : $"SIG{signal}",
    };

    /// <summary>"TERM", "SIGTERM", "term" or "15".</summary>
    public static bool TryParse(string text, out int signal)
    {
        var name = text.Trim().ToUpperInvariant();
        name = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
        if (ByName.TryGetValue(name, out signal))
        {
            return true;
        }

        return int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out signal) && IsValid(signal);
    }

    /// <summary>A signal Linux has (1 to 64): not 0 (a probe), never negative (kill(2) would read it as a group).</summary>
    public static bool IsValid(int signal) => signal is > 0 and < 65;

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
        PosixSignal.SIGQUIT => SIGQUIT,
        _ => SIGTERM,
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
