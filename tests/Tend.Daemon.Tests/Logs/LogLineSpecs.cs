using System.Text;
using Tend.Daemon.Logs;

namespace Tend.Daemon.Tests.Logs;

public sealed class LogLineSpecs
{
    private static LogLine Parse(string line) => LogLine.Parse(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void A_line_parses_into_time_stream_and_text()
    {
        var line = Parse("2026-11-23T12:03:11.123Z e connection refused: 127.0.0.1:5432");

        line.ShouldBe(new LogLine(new DateTimeOffset(2026, 11, 23, 12, 3, 11, 123, TimeSpan.Zero), LogStream.Err, "connection refused: 127.0.0.1:5432"));
    }

    [Fact]
    public void A_continuation_and_a_tend_marker_parse_as_such()
    {
        Parse("2026-11-23T12:03:11.123Z o+ rest of a long line").ShouldBe(new LogLine(new DateTimeOffset(2026, 11, 23, 12, 3, 11, 123, TimeSpan.Zero), LogStream.Out, "rest of a long line", Continued: true));
        Parse("2026-11-23T12:03:11.123Z t [tend: dropped 5 bytes: the disk was slower than the output]").Stream.ShouldBe(LogStream.Tend);
    }

    [Fact]
    public void Text_keeps_its_spaces()
    {
        Parse("2026-11-23T12:03:11.123Z o   indented  ").Text.ShouldBe("  indented  ");
        Parse("2026-11-23T12:03:11.123Z o ").Text.ShouldBe("");
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text from somewhere else")]
    [InlineData("2026-13-23T12:03:11.123Z o month 13")]
    [InlineData("2026-11-23T12:03:11.123Z x unknown stream")]
    [InlineData("2026-11-23 12:03:11.123Z o no T")]
    public void A_line_that_is_not_in_the_format_is_kept_whole_as_unknown(string text)
    {
        var line = Parse(text);

        line.Stream.ShouldBe(LogStream.Unknown);
        line.Text.ShouldBe(text);
    }

    [Fact]
    public void A_line_prints_back_as_it_was_written()
    {
        const string text = "2026-11-23T12:03:11.123Z o+ rest";

        Parse(text).ToString().ShouldBe(text);
    }
}
