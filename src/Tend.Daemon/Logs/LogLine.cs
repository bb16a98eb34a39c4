using System.Text;

namespace Tend.Daemon.Logs;

/// <summary>
/// One line of a run's log, parsed back. <see cref="Continued"/> marks a piece of a line that
/// was longer than the line limit: it continues the line before it in the same stream.
/// </summary>
public sealed record LogLine(DateTimeOffset Time, LogStream Stream, string Text, bool Continued = false)
{
    /// <summary>
    /// Parses one line without its newline. A line that is not in the log format (a damaged
    /// file) is kept whole as <see cref="LogStream.Unknown"/> rather than dropped.
    /// </summary>
    public static LogLine Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length >= LogLineFormat.PrefixLength - 1
            && line[LogLineFormat.TimestampLength] == ' '
            && LogLineFormat.TryParseTimestamp(line, out var time))
        {
            var stream = LogLineFormat.FromTag(line[LogLineFormat.TimestampLength + 1]);
            var rest = line[(LogLineFormat.TimestampLength + 2)..];
            var continued = !rest.IsEmpty && rest[0] == '+';
            if (continued)
            {
                rest = rest[1..];
            }

            // "ts o" with nothing after it is an empty line whose space was lost; accept it.
            if (stream != LogStream.Unknown && (rest.IsEmpty || rest[0] == ' '))
            {
                var text = rest.IsEmpty ? "" : Encoding.UTF8.GetString(rest[1..]);
                return new LogLine(time, stream, text, continued);
            }
        }

        return new LogLine(default, LogStream.Unknown, Encoding.UTF8.GetString(line));
    }

    /// <summary>The line as it is in the file, without the newline.</summary>
    public override string ToString()
    {
        if (Stream == LogStream.Unknown)
        {
            return Text;
        }

        Span<byte> stamp = stackalloc byte[LogLineFormat.TimestampLength];
        LogLineFormat.WriteTimestamp(stamp, Time);
        var tag = (char)LogLineFormat.Tag(Stream);
        return $"{Encoding.ASCII.GetString(stamp)} {tag}{(Continued ? "+" : "")} {Text}";
    }
}
