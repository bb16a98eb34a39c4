using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tend.Core.Rounds;

/// <summary>
/// Reads when a usage limit resets: Unix epoch seconds (milliseconds when above 10^12), as a
/// JSON number or digits, or an ISO-8601 time with an offset. A time before 2000 or more than
/// 30 days ahead is a misread field, not a reason to sleep for a month.
/// </summary>
public static partial class ResetTime
{
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(30);

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Above this an epoch is milliseconds: 10^12 seconds is some 30,000 years away.
    private const decimal MillisecondsAbove = 1_000_000_000_000m;

    public static DateTimeOffset? Parse(JsonElement value, DateTimeOffset now) => value.ValueKind switch
    {
        JsonValueKind.Number => Parse(value.GetRawText(), now),
        JsonValueKind.String => Parse(value.GetString()!, now),
        _ => null,
    };

    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        DateTimeOffset? time = null;
        if (decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var epoch))
        {
            time = FromEpoch(epoch);
        }
        else if (IsoTime().IsMatch(trimmed) && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            time = iso;
        }

        return time >= Earliest && time <= now + MaxAhead ? time : null;
    }

    private static DateTimeOffset? FromEpoch(decimal epoch)
    {
        var milliseconds = epoch > MillisecondsAbove ? epoch : epoch * 1000;
        if (milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }

        return DateTimeOffset.UnixEpoch.AddMilliseconds((double)milliseconds);
    }

    // The offset is required: a time without one could be any of 24 hours.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex IsoTime();
}
