namespace Tend.Core.Monitoring;

/// <summary>The host at one sample: what `tend peek --json`, the metrics files and host rules read.</summary>
/// <param name="Load1">The 1-minute load average.</param>
/// <param name="CpuPercent">CPU in use over the last interval, in % of all cores; null on the first sample.</param>
/// <param name="Cores">Online cores.</param>
/// <param name="Gpus">One entry per GPU nvidia-smi reports; null when there is no nvidia-smi.</param>
/// <param name="Disks">The filesystems holding the state dir and the components' working directories.</param>
public sealed record HostSample(
    DateTimeOffset At,
    double Load1,
    double? CpuPercent,
    int Cores,
    long MemoryTotalBytes,
    long MemoryAvailableBytes,
    IReadOnlyList<GpuSample>? Gpus,
    IReadOnlyList<DiskSample> Disks)
{
    public double MemoryUsedPercent => MemoryTotalBytes <= 0 ? 0 : Math.Round(100.0 * (1 - (MemoryAvailableBytes / (double)MemoryTotalBytes)), 1);
}

public sealed record GpuSample(int Index, string Name, double UtilizationPercent, long MemoryUsedBytes, long MemoryTotalBytes)
{
    public double MemoryUsedPercent => MemoryTotalBytes <= 0 ? 0 : Math.Round(100.0 * MemoryUsedBytes / MemoryTotalBytes, 1);
}

/// <param name="Mount">Where the filesystem is mounted: the subject of disk alerts.</param>
/// <param name="Paths">The paths of the stack on it: the state dir, components' cwds.</param>
/// <param name="Components">The components that write there (their cwd is on it; all of them when the state dir, with their logs, is).</param>
public sealed record DiskSample(string Mount, long TotalBytes, long FreeBytes, double UsedPercent, IReadOnlyList<string> Paths, IReadOnlyList<string> Components);
