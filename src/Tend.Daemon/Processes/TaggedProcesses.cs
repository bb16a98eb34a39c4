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
    /// Every live process whose tag <paramref name="matches"/>, from a scan of its own (see
    /// <see cref="ProcSnapshot.Tagged"/>; a daemon's stops share theirs through <see cref="ProcScanner"/>).
    /// </summary>
    public static IReadOnlyList<TaggedProcess> Find(Func<RunTag, bool> matches, long startedSince, int except = 0, string procRoot = "/proc") =>
        new ProcSnapshot([.. ProcStat.Live(procRoot)], procRoot).Tagged(matches, startedSince, except);
}
