using System.Globalization;
using System.Text.RegularExpressions;

namespace Tend.Core.Text;

/// <summary>Parses the human quantities a stack file uses: durations ("1m30s") and sizes ("512MB").</summary>
public static partial class Quantities
{
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        var matches = DurationPart().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            return false;
        }

        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            duration += match.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => throw new InvalidOperationException("unreachable: the pattern limits units"),
            };
        }

        return true;
    }

    /// <summary>
    /// A computed wait rounded to whole milliseconds, the unit its event's <c>*_ms</c> field says it in:
    /// a clock moved on by the reported figure then reaches the timer, not a fraction short of it.
    /// </summary>
    public static TimeSpan WholeMilliseconds(TimeSpan duration) => TimeSpan.FromMilliseconds(Math.Round(duration.TotalMilliseconds));

    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{duration.TotalMilliseconds:0}ms";
        }

        if (duration < TimeSpan.FromMinutes(1))
        {
            return duration.TotalSeconds % 1 == 0 ? $"{duration.TotalSeconds:0}s" : $"{duration.TotalSeconds:0.0}s";
        }

        if (duration < TimeSpan.FromHours(1))
        {
            return duration.Seconds == 0 ? $"{duration.Minutes}m" : $"{duration.Minutes}m{duration.Seconds}s";
        }

        return duration.Minutes == 0 ? $"{(int)duration.TotalHours}h" : $"{(int)duration.TotalHours}h{duration.Minutes}m";
    }

    /// <summary>Sizes in bytes: "512", "10kB", "1.5GB", "2GiB" (decimal and binary units).</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        double factor = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1e3,
            "M" or "MB" => 1e6,
            "G" or "GB" => 1e9,
            "T" or "TB" => 1e12,
            "KIB" => 1024d,
            "MIB" => 1024d * 1024,
            "GIB" => 1024d * 1024 * 1024,
            "TIB" => 1024d * 1024 * 1024 * 1024,
            _ => -1,
        };
        if (factor < 0)
        {
            return false;
        }

        bytes = (long)(value * factor);
        return true;
    }

    public static string FormatSize(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value:0.#} {units[unit]}";
    }

    /// <summary>At most five characters for a table column, as top shows memory: "980K", "12M", "1.4G" (powers of 1024).</summary>
    public static string FormatShortSize(long bytes)
    {
        string[] units = ["B", "K", "M", "G", "T"];
        double value = Math.Max(0, bytes);
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var number = value < 10 && unit > 0 ? value.ToString("0.#", CultureInfo.InvariantCulture) : Math.Round(value).ToString(CultureInfo.InvariantCulture);
        return number + units[unit];
    }

    [GeneratedRegex(@"(?<value>\d+(\.\d+)?)(?<unit>ms|s|m|h|d)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)\s*(?<unit>[a-zA-Z]*)$")]
    private static partial Regex SizePattern();
}
