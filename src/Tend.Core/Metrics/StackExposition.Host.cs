namespace Tend.Core.Metrics;

/// <summary>The host at the monitor's last sample: load, CPU, memory, the watched filesystems, the GPUs.</summary>
public static partial class StackExposition
{
    private static void WriteHost(ExpositionWriter writer, Monitoring.HostSample? host)
    {
        if (host is null)
        {
            return;
        }

        Gauge(writer, ExposedMetrics.HostLoad, host.Load1);
        Gauge(writer, ExposedMetrics.HostCpus, host.Cores);
        if (host.CpuPercent is { } cpu)
        {
            Gauge(writer, ExposedMetrics.HostCpuUsage, cpu / 100);
        }

        Gauge(writer, ExposedMetrics.HostMemoryTotal, host.MemoryTotalBytes);
        Gauge(writer, ExposedMetrics.HostMemoryAvailable, host.MemoryAvailableBytes);
        if (host.Disks.Count > 0)
        {
            Family(writer, ExposedMetrics.DiskSize);
            foreach (var disk in host.Disks)
            {
                writer.Sample(ExposedMetrics.DiskSize.Name, disk.TotalBytes, new Label("mount", disk.Mount));
            }

            Family(writer, ExposedMetrics.DiskFree);
            foreach (var disk in host.Disks)
            {
                writer.Sample(ExposedMetrics.DiskFree.Name, disk.FreeBytes, new Label("mount", disk.Mount));
            }

            Family(writer, ExposedMetrics.DiskUsed);
            foreach (var disk in host.Disks)
            {
                writer.Sample(ExposedMetrics.DiskUsed.Name, disk.UsedPercent / 100, new Label("mount", disk.Mount));
            }
        }

        if (host.Gpus is { Count: > 0 } gpus)
        {
            Family(writer, ExposedMetrics.GpuUsage);
            foreach (var gpu in gpus)
            {
                writer.Sample(ExposedMetrics.GpuUsage.Name, gpu.UtilizationPercent / 100, Gpu(gpu));
            }

            Family(writer, ExposedMetrics.GpuMemoryUsed);
            foreach (var gpu in gpus)
            {
                writer.Sample(ExposedMetrics.GpuMemoryUsed.Name, gpu.MemoryUsedBytes, Gpu(gpu));
            }

            Family(writer, ExposedMetrics.GpuMemoryTotal);
            foreach (var gpu in gpus)
            {
                writer.Sample(ExposedMetrics.GpuMemoryTotal.Name, gpu.MemoryTotalBytes, Gpu(gpu));
            }
        }
    }

    private static Label Gpu(Monitoring.GpuSample gpu) => new("gpu", gpu.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
