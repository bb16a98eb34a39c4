using System.Globalization;
using System.Text;
using Tend.Core.Processes;
using Tend.Daemon.Processes;

namespace Tend.Cli.Diag;

/// <summary>
/// processes.txt: the daemon and every live process of the stack's runs (found by the tag each
/// run carries, so a process that left its group is listed too), with its command line from
/// /proc. Command lines hold passwords as often as logs do: they are redacted like every file.
/// </summary>
internal static class ProcessSources
{
    public static void Add(BundleDraft draft, string stackPath, int? daemonPid)
    {
        var text = new StringBuilder("PID     PGID    COMPONENT  RUN  COMMAND LINE\n");
        if (daemonPid is { } pid && ProcStat.Read(pid) is { } daemon)
        {
            text.Append(Line(pid, daemon.ProcessGroup, "(daemon)", ""));
        }

        foreach (var process in TaggedProcesses.Find(t => t.StackFile == stackPath, 0).OrderBy(p => p.Tag.Component, StringComparer.Ordinal).ThenBy(p => p.Pid))
        {
            text.Append(Line(process.Pid, process.Stat.ProcessGroup, process.Tag.Component, process.Tag.Run.ToString(CultureInfo.InvariantCulture)));
        }

        draft.Add("processes.txt", text.ToString());
    }

    private static string Line(int pid, int group, string component, string run) =>
        string.Create(CultureInfo.InvariantCulture, $"{pid,-7} {group,-7} {component,-10} {run,-4} {ProcNet.Describe(pid).CommandLine}\n");
}
