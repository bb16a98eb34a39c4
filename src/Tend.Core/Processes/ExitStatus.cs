namespace Tend.Core.Processes;

/// <summary>What an exit status means, by the conventions tend relies on.</summary>
public static class ExitStatus
{
    /// <summary>EX_CONFIG (sysexits.h): the program says its configuration is broken; restarting cannot help.</summary>
    public const int ConfigError = 78;

    /// <summary>The shell's "found but cannot execute".</summary>
    public const int CannotExecute = 126;

    /// <summary>The shell's "command not found".</summary>
    public const int NotFound = 127;

    /// <summary>.NET, like the shell, reports a death by signal N as 128 + N.</summary>
    private const int SignalBase = 128;

    /// <summary>The signal that ended the process, when the status says it died of one.</summary>
    public static int? SignalOf(int status) => status is > SignalBase and < SignalBase + 32 ? status - SignalBase : null;

    /// <summary>
    /// How a command ended, in the words every report uses ("timed out after 5s", "killed by
    /// SIGKILL", "exit code 3"); null when it succeeded. A timeout comes first: the kill that
    /// ended it is tend's, not the command's doing.
    /// </summary>
    public static string? Describe(int status, bool timedOut = false, TimeSpan timeout = default) =>
        timedOut ? $"timed out after {Text.Quantities.FormatDuration(timeout)}"
        : status != 0 ? Ended(status)
        : null;

    /// <summary>
    /// How a process ended, in the same words, also when it succeeded ("exit code 0"): for a
    /// report of an end that is not a verdict (a restart's reason, a gate's observation).
    /// </summary>
    public static string Ended(int status) => SignalOf(status) is { } signal ? KilledBy(signal) : $"exit code {status}";

    /// <summary>An end told apart as exit code and signal, as a snapshot or a record keeps them; the signal wins.</summary>
    public static string Ended(int exitCode, int? signal) => signal is { } s ? KilledBy(s) : Ended(exitCode);

    /// <summary>"killed by SIGKILL".</summary>
    public static string KilledBy(int signal) => $"killed by {Signals.Name(signal)}";

    /// <summary>The status a shell would report for a death by <paramref name="signal"/>.</summary>
    public static int OfSignal(int signal) => SignalBase + signal;
}
