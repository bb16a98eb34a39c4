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
        foreach (var stat in ProcStat.Live(procRoot))
        {
            if (stat.Pid != except && stat.Pid != Environment.ProcessId && stat.StartTicks >= startedSince
                && RunTag.Read(stat.Pid, procRoot) is { } tag && matches(tag))
            {
                found.Add(new TaggedProcess(stat, tag));
            }
        }

        return found;
    }
}
