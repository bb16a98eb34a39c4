using System.Globalization;
using Tend.Core.Monitoring;
using Tend.Core.Processes;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// GPU utilisation and memory from <c>nvidia-smi</c>, when it is on the PATH (looked up each
/// sample, so a driver installed later is seen). Null without it, or when it fails: a host rule on
/// a GPU metric then reads "absent".
/// </summary>
internal static class GpuSampler
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<GpuSample>?> SampleAsync(CancellationToken cancellationToken)
    {
        if (ExecutableLookup.Find("nvidia-smi", Environment.CurrentDirectory) is not { } program)
        {
            return null;
        }

        var run = await CapturedRun.RunAsync(
            [program, "--query-gpu=index,name,utilization.gpu,memory.used,memory.total", "--format=csv,noheader,nounits"],
            Environment.CurrentDirectory,
            null,
            Timeout,
            TimeProvider.System,
            cancellationToken);
        return run.Succeeded ? Parse(run.Output) : null;
    }

    /// <summary>Lines such as <c>0, NVIDIA A100-SXM4-40GB, 37, 1024, 40960</c> (memory in MiB).</summary>
    public static List<GpuSample>? Parse(string csv)
    {
        var gpus = new List<GpuSample>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length < 5
                || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out var index)
                || !double.TryParse(fields[^3], CultureInfo.InvariantCulture, out var utilization)
                || !long.TryParse(fields[^2], CultureInfo.InvariantCulture, out var used)
                || !long.TryParse(fields[^1], CultureInfo.InvariantCulture, out var total))
            {
                // "[N/A]" on GPUs that do not report it, or a format this version does not know.
                continue;
            }

            gpus.Add(new GpuSample(index, string.Join(", ", fields[1..^3]), utilization, used * 1024 * 1024, total * 1024 * 1024));
        }

        return gpus.Count > 0 ? gpus : null;
    }
}
