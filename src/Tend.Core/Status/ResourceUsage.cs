namespace Tend.Core.Status;

/// <summary>
/// What a component's current run uses, summed over all its processes (its process group, and its
/// cgroup where runs have one), as the daemon last sampled it.
/// </summary>
/// <param name="CpuPercent">CPU time over the last sampling interval, in percent of one core (200 = two cores busy).</param>
/// <param name="MemoryBytes">Resident memory (RSS) of its processes added up.</param>
/// <param name="Processes">How many processes the run has now.</param>
/// <param name="At">When the sample was taken.</param>
public sealed record ResourceUsage(double CpuPercent, long MemoryBytes, int Processes, DateTimeOffset At);
