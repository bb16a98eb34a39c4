using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Daemon;

/// <summary>
/// Where a stack's daemon keeps its state: <c>.tend/</c> beside the stack file unless configured.
/// The directory is private to the user (0700): the control socket inside it is the only door.
/// </summary>
/// <param name="OwnedByTend">
/// The directory bears tend's own name (<c>.tend</c>), so making it private takes nothing from
/// anyone. A directory <c>state_dir</c> names is never chmodded (see <see cref="For"/>).
/// </param>
public sealed record DaemonPaths(string StateDirectory, bool OwnedByTend = true)
{
    /// <summary>The name of the directory tend makes for itself: beside the stack file, or inside a <c>state_dir</c> it must not take over.</summary>
    public const string OwnName = ".tend";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Socket => Path.Combine(StateDirectory, "daemon.sock");

    public string Lock => Path.Combine(StateDirectory, "daemon.lock");

    public string PidFile => Path.Combine(StateDirectory, "daemon.pid");

    public string DaemonLog => Path.Combine(StateDirectory, "daemon.log");

    public string State => Path.Combine(StateDirectory, "state.json");

    /// <summary>The stack file as the daemon last took it (see <see cref="StackCopy"/>).</summary>
    public string StackCopy => Path.Combine(StateDirectory, "stack.last.toml");

    public string Logs => Path.Combine(StateDirectory, "logs");

    /// <summary>The HTTP API's bearer token (0600), made on first use by <c>tend dashboard</c> or a remote listener.</summary>
    public string HttpToken => Path.Combine(StateDirectory, "http.token");

    public string Events => Path.Combine(StateDirectory, "events");

    public string ComponentLogs(string component) => Path.Combine(Logs, component);

    /// <summary>
    /// The state directory of <paramref name="stack"/>. A directory named <c>.tend</c> (the default)
    /// is tend's own and made private. A <c>state_dir</c> that does not exist yet,
    /// or that is already private, is used as it is. One that exists and is open to others (a
    /// shared 1777 <c>/tmp</c>, the project directory with <c>state_dir = "."</c>) is not tend's to
    /// chmod: the state goes into a private <c>.tend</c> inside it. The CLI and the daemon both
    /// ask here, so they agree on the socket.
    /// </summary>
    public static DaemonPaths For(StackFile stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var configured = stack.StateDirectory;
        if (string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(configured)), OwnName, StringComparison.Ordinal))
        {
            return new DaemonPaths(configured);
        }

        if (!Directory.Exists(configured))
        {
            // Created by tend (see Create), private from its first moment.
            return new DaemonPaths(configured, OwnedByTend: false);
        }

        return IsPrivate(configured) ? new DaemonPaths(configured, OwnedByTend: false) : new DaemonPaths(Path.Combine(configured, OwnName));
    }

    /// <summary>Makes the state directory, private to the user; an error to tell the user when it cannot be.</summary>
    public string? Create()
    {
        try
        {
            Directory.CreateDirectory(StateDirectory, Private);
            if (OwnedByTend)
            {
                // Created private above, unless it existed: then (tend's own name) made private now.
                File.SetUnixFileMode(StateDirectory, Private);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot make the state directory {StateDirectory} private to you: {e.Message}";
        }
    }

    /// <summary>
    /// Whether a file can be written in the state directory now: a probe of one page, written,
    /// flushed and removed. A daemon started on a full disk is refused at once with the reason,
    /// not left to fail where nobody reads it (its own log is on the same disk).
    /// </summary>
    public string? CheckWritable()
    {
        var probe = Path.Combine(StateDirectory, $".write-probe.{Environment.ProcessId}");
        try
        {
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(new byte[4096]);
                stream.Flush(flushToDisk: false);
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The probe is one page at most; the error below is what matters.
            Core.Persistence.FileCleanup.TryDelete(probe);

            return $"cannot write in the state directory {StateDirectory}: {IoErrorText.Of(e)}; make room or give write access there (df -h {ShellWords.Quote(StateDirectory)} shows the space left), then run tend up again";
        }
    }

    private static bool IsPrivate(string directory)
    {
        try
        {
            return (File.GetUnixFileMode(directory) & ~Private) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
