using System.Collections.Concurrent;

namespace Tend.Daemon.Processes;

/// <summary>
/// The live processes of one scan of /proc, shared by every stop that waited for it (see
/// <see cref="ProcScanner"/>): group members are indexed once, and a process's run tag is read
/// from its environment at most once per snapshot, however many stops look for escapers.
/// </summary>
public sealed class ProcSnapshot(IReadOnlyList<ProcStat> live, string procRoot = "/proc")
{
    private readonly Lazy<ILookup<int, ProcStat>> _byGroup = new(() => live.ToLookup(p => p.ProcessGroup));
    private readonly ConcurrentDictionary<(int Pid, long Start), RunTag?> _tags = new();

    public IReadOnlyList<ProcStat> Live { get; } = live;

    /// <summary>The live (not zombie) members of process group <paramref name="group"/>.</summary>
    public IReadOnlyList<ProcStat> GroupMembers(int group) => [.. _byGroup.Value[group]];

    /// <summary>
    /// Every live process whose run tag <paramref name="matches"/>, among those started at or after
    /// <paramref name="startedSince"/> (clock ticks since boot): a run's processes are never older
    /// than it, so most of the machine is passed over on its stat alone.
    /// </summary>
    public IReadOnlyList<TaggedProcess> Tagged(Func<RunTag, bool> matches, long startedSince, int except = 0)
    {
        var found = new List<TaggedProcess>();
        foreach (var stat in Live)
        {
            if (stat.Pid != except && stat.Pid != Environment.ProcessId && stat.StartTicks >= startedSince
                && _tags.GetOrAdd((stat.Pid, stat.StartTicks), key => RunTag.Read(key.Pid, procRoot)) is { } tag && matches(tag))
            {
                found.Add(new TaggedProcess(stat, tag));
            }
        }

        return found;
    }
}
