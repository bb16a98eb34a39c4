using Tend.Daemon.Logs;

namespace Tend.Cli.Verbs;

/// <summary>
/// Where the files, read some lines back after the daemon went away in the middle of a follow,
/// join the lines it had already sent. Lines older than the last one shown, and those of its time
/// up to and with it, are dropped; from the first newer line on, everything is new.
/// </summary>
internal sealed class LogSeam(LogLine? lastShown)
{
    /// <summary>How far back to read: more lines than may come between the two reads (a busy component on a loaded machine).</summary>
    public const int Lines = 1000;

    public bool IsNew(LogLine line)
    {
        if (lastShown is null)
        {
            return true;
        }

        if (line.Time <= lastShown.Time)
        {
            lastShown = line == lastShown ? null : lastShown;
            return false;
        }

        lastShown = null;
        return true;
    }
}
