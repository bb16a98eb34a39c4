using System.Globalization;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Checks.Kinds;

/// <summary>A threshold of free space, in bytes or as a percentage of the filesystem.</summary>
public readonly record struct SpaceThreshold(long Bytes, double Percent)
{
    public bool IsPercent => Percent > 0;

    public long ToBytes(long total) => IsPercent ? (long)(total * Percent / 100) : Bytes;

    public override string ToString() => IsPercent ? $"{Percent.ToString(CultureInfo.InvariantCulture)}%" : Quantities.FormatSize(Bytes);

    public static bool TryParse(string text, out SpaceThreshold threshold)
    {
        threshold = default;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%'))
        {
            if (double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and < 100)
            {
                threshold = new SpaceThreshold(0, percent);
                return true;
            }

            return false;
        }

        if (Quantities.TryParseSize(trimmed, out var bytes))
        {
            threshold = new SpaceThreshold(bytes, 0);
            return true;
        }

        return false;
    }
}

/// <summary>The filesystem holding a path has enough free space: warn below one threshold, fail below another.</summary>
public sealed record DiskSpaceCheck(string Path, SpaceThreshold WarnBelow, SpaceThreshold FailBelow) : CheckSpec
{
    public static readonly CheckKind Definition = new("disk-space", "enough free disk space", TimeSpan.FromSeconds(2), CheckValueForms.String, [CheckOption.String("warn_below"), CheckOption.String("fail_below")], Create);

    public override string Kind => "disk-space";

    public override string Target => Path;

    private static DiskSpaceCheck? Create(CheckArguments arguments)
    {
        var warn = Threshold(arguments, "warn_below", "10%");
        var fail = Threshold(arguments, "fail_below", "2%");
        return warn is null || fail is null ? null : new DiskSpaceCheck((string)arguments.Value, warn.Value, fail.Value);
    }

    private static SpaceThreshold? Threshold(CheckArguments arguments, string key, string fallback)
    {
        var text = arguments.String(key) ?? fallback;
        if (SpaceThreshold.TryParse(text, out var threshold))
        {
            return threshold;
        }

        arguments.ErrorAt(key, $"{arguments.Describe(key)} must be a size such as \"5GB\" or a percentage such as \"10%\", not \"{text}\"");
        return null;
    }

    public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var full = context.Resolve(Path);
        var existing = full;
        while (!Directory.Exists(existing) && System.IO.Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        DriveInfo drive;
        try
        {
            drive = new DriveInfo(existing);
            _ = drive.TotalSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Task.FromResult(CheckOutcome.Fail("io_error", $"cannot read free space of {Path}", e.Message).WithData(("path", full)));
        }

        var total = drive.TotalSize;
        var free = drive.AvailableFreeSpace;
        var percent = total > 0 ? 100.0 * free / total : 0;
        var fact = $"{Quantities.FormatSize(free)} free of {Quantities.FormatSize(total)} ({percent:0.#}%) on {drive.Name}";
        // A directory not made yet (Docker's before its first start) is measured where it will be made: said, not passed off as its own figures.
        var where = existing == full ? "" : $" on {existing}, where {Path} will be ({Path} does not exist yet)";
        var outcome = free < FailBelow.ToBytes(total)
            ? CheckOutcome.Fail("low_space", $"only {Quantities.FormatSize(free)} free on {drive.Name} (fail below {FailBelow}){where}", fact)
            : free < WarnBelow.ToBytes(total)
                ? CheckOutcome.Warn("low_space", $"{Quantities.FormatSize(free)} free on {drive.Name} (warn below {WarnBelow}){where}", fact)
                : CheckOutcome.Pass($"{Quantities.FormatSize(free)} free ({percent:0.#}%){where}", fact);
        return Task.FromResult(outcome.WithData(("path", full), ("mount", drive.Name), ("free", Quantities.FormatSize(free))));
    }
}
