using System.Diagnostics;
using System.Globalization;

namespace Tend.Core.Processes;

/// <summary>
/// Ends the process groups of <see cref="DirectSpawn"/>'s children when tend dies, as setpriv's
/// parent-death signal does for <see cref="ProcessLauncher"/>'s: one small shell per tend
/// process, in a session of its own, told of each group as it starts ("+PGID") and ends
/// ("-PGID") on a pipe only tend holds. When tend is gone, however it went (SIGKILL included),
/// the pipe reads end-of-file: the shell sends SIGTERM to the groups still listed, and SIGKILL
/// after a grace. A child that starts in the moment before it is listed, while tend is killed,
/// is the one window left, as it was between fork and setpriv's prctl.
/// </summary>
public sealed class StepReaper : IDisposable
{
    /// <summary>How long groups get between SIGTERM and SIGKILL once tend is gone.</summary>
    public const int GraceSeconds = 3;

    // For dash: `read` returns at end-of-file, `kill` takes no `--` (-PGID after the signal is a group); the list is a space-padded string (" 12 34 ").
    private static readonly string Script = $$"""
        groups=" "
        while read -r op group; do
          case $op in
            +) groups="$groups$group " ;;
            -) case $groups in *" $group "*) groups="${groups% $group *} ${groups#* $group }" ;; esac ;;
          esac
        done
        set -- $groups
        [ $# -eq 0 ] && exit 0
        for group; do kill -TERM "-$group" 2>/dev/null; done
        sleep {{GraceSeconds}}
        for group; do kill -KILL "-$group" 2>/dev/null; done
        """;

    private static readonly Lazy<StepReaper?> Shared = new(Start);

    private readonly Process _shell;
    private readonly Lock _writing = new();

    private StepReaper(Process shell) => _shell = shell;

    /// <summary>This process's reaper, started on first use; null when it cannot start (then starts go through setpriv as before).</summary>
    public static StepReaper? ForThisProcess => Shared.Value;

    /// <summary>The reaper's PID, for specs.</summary>
    public int Id => _shell.Id;

    public bool Watch(int processGroup) => Tell('+', processGroup);

    public bool Forget(int processGroup) => Tell('-', processGroup);

    private bool Tell(char op, int processGroup)
    {
        lock (_writing)
        {
            try
            {
                _shell.StandardInput.Write($"{op} {processGroup.ToString(CultureInfo.InvariantCulture)}\n");
                _shell.StandardInput.Flush();
                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The reaper died (someone killed it): children go on unwatched, as they would without setpriv.
                return false;
            }
        }
    }

    /// <summary>Closes the pipe as tend's death would: the groups still listed are ended. The process's own reaper is never disposed.</summary>
    public void Dispose()
    {
        lock (_writing)
        {
            _shell.StandardInput.Close();
        }

        _shell.Dispose();
    }

    /// <summary>A reaper of its own (the process has one, <see cref="ForThisProcess"/>); null when it cannot start.</summary>
    public static StepReaper? Start()
    {
        var request = new LaunchRequest("sh", ["-c", Script], "/", new Dictionary<string, string>())
        {
            Input = StandardInput.Pipe,

            // Pipes it never writes to, not tend's own stdout: a `$(tend …)` would wait for the
            // reaper's copy of it to close too.
            CaptureOutput = true,
        };
        return ProcessLauncher.Shared.StartAsync(request).GetAwaiter().GetResult() is LaunchOutcome.Started started
            ? new StepReaper(started.Process)
            : null;
    }
}
