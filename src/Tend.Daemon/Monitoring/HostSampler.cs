using System.Globalization;
using Tend.Core.Model;
using Tend.Core.Monitoring;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// Samples the host from /proc (load, CPU, memory), statvfs (the filesystems of the state dir and
/// the components' working directories) and nvidia-smi when it exists. A few small reads: well
/// under a millisecond without GPUs.
/// </summary>
internal sealed class HostSampler(TimeProvider time, string procRoot = "/proc")
{
    private (long Busy, long Total)? _previousCpu;


    public async Task<HostSample> SampleAsync(StackFile stack, string stateDirectory, CancellationToken cancellationToken)
    {
        var load = ReadLoad();
        var cpu = ReadCpu();
        var (total, available) = ReadMemory();
        var gpus = await GpuSampler.SampleAsync(cancellationToken);
        return new HostSample(time.GetUtcNow(), load, cpu, Environment.ProcessorCount, total, available, gpus, Disks(stack, stateDirectory));
    }

    private double ReadLoad()
    {
        var text = ReadText("loadavg");
        var first = text.AsSpan(0, Math.Max(0, text.IndexOf(' ', StringComparison.Ordinal)));
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : 0;
    }

    /// <summary>The first line of /proc/stat: jiffies per state since boot; CPU in use is the share not idle or waiting on I/O between two samples.</summary>
    private double? ReadCpu()
    {
        var text = ReadText("stat");
        var line = text.AsSpan(0, Math.Max(0, text.IndexOf('\n', StringComparison.Ordinal)));
        long total = 0, idle = 0;
        var field = 0;
        foreach (var range in line.Split(' '))
        {
            var part = line[range];
            if (part.IsEmpty)
            {
                continue;
            }

            if (field++ == 0 || !long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            // user nice system idle iowait irq softirq steal; guest time is already in user.
            if (field <= 9)
            {
                total += value;
                if (field is 5 or 6)
                {
                    idle += value;
                }
            }
        }

        var busy = total - idle;
        var before = _previousCpu;
        _previousCpu = (busy, total);
        return before is { } b && total > b.Total ? Math.Round(100.0 * (busy - b.Busy) / (total - b.Total), 1) : null;
    }

    private (long Total, long Available) ReadMemory()
    {
        long total = 0, available = 0;
        foreach (var line in ReadText("meminfo").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = Kilobytes(line);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = Kilobytes(line);
            }
        }

        return (total, available);
    }

    private static long Kilobytes(string line)
    {
        var digits = new string([.. line.Where(char.IsAsciiDigit)]);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }

    /// <summary>
    /// One entry per filesystem (told apart by their ids, not by the mount table alone), named by
    /// its mount point, with the paths of the stack on it and who writes there.
    /// </summary>
    private List<DiskSample> Disks(StackFile stack, string stateDirectory)
    {
        var mounts = MountTable.Read(Path.Combine(procRoot, "self", "mountinfo"));
        // The state dir holds every component's logs ("*"); a path of [monitor] disks is watched for nobody in particular ("").
        var places = new List<(string Path, string Component)> { (stateDirectory, "*") };
        places.AddRange(stack.Monitor.Disks.Select(d => (d, "")));
        places.AddRange(stack.Components.Where(c => c.Kind != ComponentKind.External).Select(c => (c.WorkingDirectory, c.Name)));
        var everyone = stack.Components.Where(c => c.Kind != ComponentKind.External).Select(c => c.Name).ToList();
        var measured = places.Select(p => (p.Path, p.Component, Stats: FileSystemStats.Of(p.Path))).Where(p => p.Stats is not null).ToList();
        var disks = new List<DiskSample>();
        foreach (var group in measured.GroupBy(p => p.Stats!.Value.Id))
        {
            var first = group.First();
            var stats = first.Stats!.Value;
            var mount = MountTable.MountOf(mounts, first.Path);
            // A path whose filesystem is not the one its mount table entry names (another mount namespace) is named by itself.
            var name = FileSystemStats.Of(mount)?.Id == stats.Id ? mount : first.Path;
            var writers = group.Any(p => p.Component == "*") ? everyone : [.. group.Select(p => p.Component).Where(c => c.Length > 0).Distinct()];
            disks.Add(new DiskSample(name, stats.TotalBytes, stats.AvailableBytes, stats.UsedPercent, [.. group.Select(p => p.Path).Distinct()], writers));
        }

        return disks;
    }

    private string ReadText(string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procRoot, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
