using System.Text;

namespace Tend.Daemon.Logs;

/// <summary>
/// The bytes of a log line: <c>2026-11-23T12:03:11.123Z o text</c>. The prefix has a fixed
/// width (27 bytes, 28 for a continuation <c>o+</c>) so that it is written with a copy, not
/// formatted per line, and parsed back without searching.
/// </summary>
internal static class LogLineFormat
{
    public const int TimestampLength = 24;

    public const byte Newline = (byte)'\n';

    /// <summary>Timestamp, space, tag, space.</summary>
    public const int PrefixLength = TimestampLength + 3;

    /// <summary>Timestamp, space, tag, '+', space: a piece of a line cut at the line limit.</summary>
    public const int ContinuedPrefixLength = PrefixLength + 1;

    public static byte Tag(LogStream stream) => stream switch
    {
        LogStream.Out => (byte)'o',
        LogStream.Err => (byte)'e',
        LogStream.Tend => (byte)'t',
        _ => (byte)'?',
    };

    public static LogStream FromTag(byte tag) => tag switch
    {
        (byte)'o' => LogStream.Out,
        (byte)'e' => LogStream.Err,
        (byte)'t' => LogStream.Tend,
        _ => LogStream.Unknown,
    };

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC by hand: no culture, no allocation.</summary>
    public static void WriteTimestamp(Span<byte> target, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        Digits(target[..4], utc.Year);
        target[4] = (byte)'-';
        Digits(target[5..7], utc.Month);
        target[7] = (byte)'-';
        Digits(target[8..10], utc.Day);
        target[10] = (byte)'T';
        Digits(target[11..13], utc.Hour);
        target[13] = (byte)':';
        Digits(target[14..16], utc.Minute);
        target[16] = (byte)':';
        Digits(target[17..19], utc.Second);
        target[19] = (byte)'.';
        Digits(target[20..23], utc.Millisecond);
        target[23] = (byte)'Z';
    }

    /// <summary>Writes the prefix of a line with an already formatted timestamp; returns its length.</summary>
    public static int WritePrefix(Span<byte> target, ReadOnlySpan<byte> timestamp, byte tag, bool continued)
    {
        timestamp.CopyTo(target);
        target[TimestampLength] = (byte)' ';
        target[TimestampLength + 1] = tag;
        if (continued)
        {
            target[TimestampLength + 2] = (byte)'+';
            target[TimestampLength + 3] = (byte)' ';
            return ContinuedPrefixLength;
        }

        target[TimestampLength + 2] = (byte)' ';
        return PrefixLength;
    }

    /// <summary>A whole line written by Tend itself (a marker or a note); newlines in the text become spaces.</summary>
    public static byte[] TendLine(DateTimeOffset time, string text)
    {
        var body = Encoding.UTF8.GetBytes(text.ReplaceLineEndings(" "));
        var line = new byte[PrefixLength + body.Length + 1];
        Span<byte> stamp = stackalloc byte[TimestampLength];
        WriteTimestamp(stamp, time);
        var at = WritePrefix(line, stamp, Tag(LogStream.Tend), continued: false);
        body.CopyTo(line.AsSpan(at));
        line[^1] = Newline;
        return line;
    }

    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length < TimestampLength
            || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':'
            || text[16] != ':' || text[19] != '.' || text[23] != 'Z')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month)
            || !TryDigits(text[8..10], out var day) || !TryDigits(text[11..13], out var hour)
            || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second)
            || !TryDigits(text[20..23], out var millisecond))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
