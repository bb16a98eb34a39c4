using System.Globalization;

namespace Tend.Daemon.Processes;

/// <summary>A live process found by its run's tag.</summary>
public sealed record TaggedProcess(ProcStat Stat, RunTag Tag)
{
    public int Pid => Stat.Pid;
}

/// <summary>Finds the live processes of a stack's runs by their tags, wherever they went.</summary>
public static class TaggedProcesses
{
    /// <summary>
    /// Every live process whose tag <paramref name="matches"/>. Only processes started at or after
    /// <paramref name="startedSince"/> (clock ticks since boot, as /proc reports them) have their
    /// environment read: a run's processes are never older than its daemon, and skipping the rest
    /// keeps the scan to one stat read for most of the machine's processes.
    /// </summary>
    public static IReadOnlyList<TaggedProcess> Find(Func<RunTag, bool> matches, long startedSince, int except = 0, string procRoot = "/proc")
    {
        var found = new List<TaggedProcess>();
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == except || pid == Environment.ProcessId)
            {
                continue;
            }

            if (ProcStat.Read(pid, procRoot) is { IsZombie: false } stat && stat.StartTicks >= startedSince
                && RunTag.Read(pid, procRoot) is { } tag && matches(tag))
            {
                found.Add(new TaggedProcess(stat, tag));
            }
        }

        return found;
    }
}
