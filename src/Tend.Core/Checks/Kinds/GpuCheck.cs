using System.Globalization;
using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Core.Checks.Kinds;

/// <summary>
/// NVIDIA driver and devices are usable, asked of <c>nvidia-smi</c>. No GPU is an answer, not a
/// crash: it fails with what was looked for, and an <c>optional</c> GPU check only warns.
/// </summary>
public sealed record GpuCheck(int MinCount) : CheckSpec
{
    public static readonly CheckKind Definition = new("gpu", "NVIDIA driver and GPUs are usable", TimeSpan.FromSeconds(10), CheckValueForms.String | CheckValueForms.True, [CheckOption.Integer("min_count", 1, 1024)], Create);

    public override string Kind => "gpu";

    public override string Target => MinCount > 1 ? $"nvidia ×{MinCount}" : "nvidia";

    private static GpuCheck? Create(CheckArguments arguments)
    {
        if (arguments.Value is true or "nvidia")
        {
            return new GpuCheck((int)(arguments.Integer("min_count") ?? 1));
        }

        arguments.Error($"{arguments.What} must be \"nvidia\" or true");
        return null;
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var smi = ExecutableLookup.Find("nvidia-smi", context.BaseDirectory, context.Environment);
        var driverFile = "/proc/driver/nvidia/version";
        if (smi is null)
        {
            var facts = new List<string> { "nvidia-smi is not on PATH" };
            facts.Add(File.Exists(driverFile) ? $"{driverFile} exists: a driver is loaded but its tools are missing" : $"{driverFile} is absent: no NVIDIA kernel driver is loaded");
            facts.Add(File.Exists("/dev/nvidia0") ? "/dev/nvidia0 exists" : "/dev/nvidia0 is absent");
            return new CheckOutcome(CheckStatus.Fail, "no NVIDIA GPU found") { ErrorClass = "no_gpu", Facts = facts };
        }

        var run = await CapturedRun.RunAsync(
            [smi, "--query-gpu=index,name,driver_version,memory.total", "--format=csv,noheader"],
            context.BaseDirectory, null, Timeout, context.Time, cancellationToken);
        if (run.TimedOut)
        {
            return CheckOutcome.Fail("timeout", "nvidia-smi hung", $"nvidia-smi did not finish within {Text.Quantities.FormatDuration(Timeout)}: the driver may be wedged");
        }

        if (run.ExitCode != 0)
        {
            var said = run.Output.Trim().Split('\n')[0];
            return CheckOutcome.Fail("no_driver", "nvidia-smi cannot talk to the driver", $"nvidia-smi exited with {run.ExitCode}: {said}").WithData(("output", said));
        }

        var gpus = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var count = gpus.Length.ToString(CultureInfo.InvariantCulture);
        var listing = gpus.Select(g => $"GPU {g}").ToArray();
        if (gpus.Length < MinCount)
        {
            return CheckOutcome.Fail("too_few_gpus", $"{count} GPU(s) found, {MinCount} needed", listing).WithData(("count", count));
        }

        return CheckOutcome.Pass($"{count} GPU(s): {string.Join("; ", gpus.Select(g => g.Split(',')[1].Trim()))}", listing).WithData(("count", count));
    }
}
