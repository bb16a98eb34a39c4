namespace Tend.Core.Status;

/// <summary>
/// How the daemon stops runs and knows them to be over: each run in a cgroup of its own
/// (<see cref="Cgroup"/>: exact membership, even of processes that left the run's session), or
/// by process group and a shared scan of /proc (<see cref="ProcessGroup"/>), where cgroups cannot
/// be used.
/// </summary>
/// <param name="Mode"><see cref="Cgroup"/> or <see cref="ProcessGroup"/>.</param>
/// <param name="Path">The directory of the stack's run cgroups, in cgroup mode.</param>
/// <param name="Reason">Why not cgroups, in process-group mode.</param>
public sealed record StopsSnapshot(string Mode, string? Path = null, string? Reason = null)
{
    public const string Cgroup = "cgroup";
    public const string ProcessGroup = "process_group";

    /// <summary>
    /// "cgroup /sys/fs/cgroup/tend-shop-1a2b3c4d", or "process group + /proc scan (why)" when the
    /// reason is short (cgroups = false); a long one (a path and the kernel's error) is left to --json.
    /// </summary>
    public string Words() => Mode == Cgroup ? $"cgroup {Path}"
        : Reason is { Length: <= 40 } ? $"process group + /proc scan ({Reason})"
        : "process group + /proc scan (why not cgroups: tend status --json)";
}
