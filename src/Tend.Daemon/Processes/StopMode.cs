using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Processes.Cgroups;

namespace Tend.Daemon.Processes;

/// <summary>
/// How the daemon stops its runs, chosen once when it starts: each run in a cgroup of its own
/// where the machine allows it (<see cref="Cgroups"/>), else by process group, run tags and a
/// shared scan of /proc (<see cref="Reason"/> says why).
/// </summary>
public sealed record StopMode(StackCgroups? Cgroups, string? Reason)
{
    /// <summary>Process groups and the scan: for a supervisor that is not a daemon's (tests, a one-off).</summary>
    public static StopMode ProcessGroups(string reason) => new(null, reason);

    /// <summary>Cgroups when the stack file allows them and the machine gives tend a writable cgroup v2 subtree; the daemon then moves into the stack's cgroup.</summary>
    /// <param name="stateDirectory">The daemon's state directory, which names the stack's cgroup directory: one daemon holds it at a time.</param>
    public static StopMode Choose(StackFile stack, string stateDirectory)
    {
        if (!stack.Cgroups)
        {
            return ProcessGroups("cgroups = false in the stack file");
        }

        var (cgroups, problem) = StackCgroups.Enter(stack.Name, stateDirectory);
        return cgroups is null ? ProcessGroups(problem!) : new StopMode(cgroups, null);
    }

    /// <summary>Where a daemon of this stack puts its run cgroups, whether or not this one may: a previous daemon may have.</summary>
    public static string? StackCgroupPath(StackFile stack, string stateDirectory) =>
        CgroupLocation.OfThisProcess() is { Directory: { } own } ? StackCgroups.PathFor(own, stack.Name, stateDirectory) : null;

    public StopsSnapshot Snapshot() =>
        Cgroups is { } cgroups ? new StopsSnapshot(StopsSnapshot.Cgroup, cgroups.Path) : new StopsSnapshot(StopsSnapshot.ProcessGroup, Reason: Reason);
}
