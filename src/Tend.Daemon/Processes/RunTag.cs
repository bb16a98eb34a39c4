using System.Globalization;
using System.Text;

namespace Tend.Daemon.Processes;

/// <summary>
/// What every supervised run carries in its environment (TEND_STACK_FILE, TEND_COMPONENT,
/// TEND_RUN, TEND_DAEMON_PID) and hands down to whatever it starts. A process that left its run's
/// group or session (setpgid, setsid, a daemon that forked twice) or that a killed daemon left
/// behind is found by it: process groups and sessions can be left, an inherited environment is
/// kept unless a program clears it. cgroups would be the kernel's own answer; they need a
/// delegated cgroup tree that a user's daemon cannot count on having.
/// </summary>
public sealed record RunTag(string StackFile, string Component, int Run, int DaemonPid)
{
    public const string DaemonPidVariable = "TEND_DAEMON_PID";

    /// <summary>The variables a run gets beside those of <see cref="Tend.Core.Config.ChildEnvironment"/> (which already names the stack file and component).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Variables(int run, int daemonPid) =>
    [
        new("TEND_RUN", run.ToString(CultureInfo.InvariantCulture)),
        new(DaemonPidVariable, daemonPid.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The tag in a process's environment; null when it has none (not a supervised run's, or cleared, or not readable: another user's).</summary>
    public static RunTag? Read(int pid, string procRoot = "/proc")
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "environ"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(environ);
    }

    internal static RunTag? Parse(ReadOnlySpan<byte> environ)
    {
        string? stackFile = null, component = null;
        int? run = null, daemon = null;
        foreach (var range in environ.Split((byte)0))
        {
            var entry = environ[range];
            if (!entry.StartsWith("TEND_"u8))
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(entry);
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }

            var value = text[(equals + 1)..];
            switch (text[..equals])
            {
                case "TEND_STACK_FILE":
                    stackFile = value;
                    break;
                case "TEND_COMPONENT":
                    component = value;
                    break;
                case "TEND_RUN" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number):
                    run = number;
                    break;
                case DaemonPidVariable when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number):
                    daemon = number;
                    break;
            }
        }

        // Without the daemon's pid it is not a supervised run (`tend run` commands carry the rest): never ours to stop.
        return stackFile is not null && component is not null && run is not null && daemon is not null
            ? new RunTag(stackFile, component, run.Value, daemon.Value)
            : null;
    }
}
