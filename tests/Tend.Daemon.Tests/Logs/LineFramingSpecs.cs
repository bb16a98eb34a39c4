using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

public sealed class LineFramingSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 3, 11, 123, TimeSpan.Zero);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Captures scripted stdout (and stderr) into a fresh directory; returns the file's text.</summary>
    private static async Task<(string Text, LogCaptureStats Stats)> CaptureAsync(TempDirectory temp, Stream stdout, Stream? stderr = null, FakeTimeProvider? time = null, LogSettings? settings = null)
    {
        var directory = Path.Combine(temp.Path, "api");
        var capture = new RunLogCapture(directory, 1, settings, time ?? new FakeTimeProvider(Start));
        await capture.CaptureAsync(stdout, stderr ?? Stream.Null, TestContext.Current.CancellationToken);
        return (await File.ReadAllTextAsync(Path.Combine(directory, "run-000001.log"), TestContext.Current.CancellationToken), capture.Stats);
    }

    [Fact(Timeout = 10_000)]
    public async Task Each_line_is_stamped_in_UTC_with_milliseconds_and_tagged_with_its_stream()
    {
        using var temp = new TempDirectory();

        var (text, stats) = await CaptureAsync(temp, new ScriptedStream(Bytes("hello\nworld\n")), new ScriptedStream(Bytes("oops\n")));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        lines.ShouldBe([
            "2026-11-23T12:03:11.123Z e oops",
            "2026-11-23T12:03:11.123Z o hello",
            "2026-11-23T12:03:11.123Z o world",
        ], ignoreOrder: true);
        stats.Lines.ShouldBe(3);
        stats.BytesRead.ShouldBe(17);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_line_split_across_reads_is_written_whole_with_the_time_its_first_byte_arrived()
    {
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(Start);
        var stdout = new ScriptedStream(Bytes("first\nsec"), Bytes("ond hal"), Bytes("f\nthird\n"))
        {
            // One second passes before every read after the first.
            BeforeRead = index => time.Advance(TimeSpan.FromSeconds(index == 0 ? 0 : 1)),
        };

        var (text, _) = await CaptureAsync(temp, stdout, time: time);

        text.ShouldBe(
            "2026-11-23T12:03:11.123Z o first\n" +
            "2026-11-23T12:03:11.123Z o second half\n" +
            "2026-11-23T12:03:13.123Z o third\n");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_last_line_without_a_newline_is_written_with_one()
    {
        using var temp = new TempDirectory();

        var (text, stats) = await CaptureAsync(temp, new ScriptedStream(Bytes("done\nno newline at the end")));

        text.ShouldBe("2026-11-23T12:03:11.123Z o done\n2026-11-23T12:03:11.123Z o no newline at the end\n");
        stats.Lines.ShouldBe(2);
    }

    [Fact(Timeout = 10_000)]
    public async Task Empty_lines_are_kept_as_lines()
    {
        using var temp = new TempDirectory();

        var (text, _) = await CaptureAsync(temp, new ScriptedStream(Bytes("\n\nx\n")));

        text.ShouldBe("2026-11-23T12:03:11.123Z o \n2026-11-23T12:03:11.123Z o \n2026-11-23T12:03:11.123Z o x\n");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_run_with_no_output_has_an_empty_file_and_current_log_points_at_it()
    {
        using var temp = new TempDirectory();

        var (text, stats) = await CaptureAsync(temp, Stream.Null);

        text.ShouldBeEmpty();
        stats.Lines.ShouldBe(0);
        LogFileContent.Current(Path.Combine(temp.Path, "api")).ShouldBe(Path.Combine(temp.Path, "api", "run-000001.log"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_line_longer_than_the_limit_is_cut_into_pieces_each_marked_as_a_continuation()
    {
        using var temp = new TempDirectory();
        var settings = new LogSettings { MaxLineBytes = 16 };
        // 40 bytes arriving in reads that do not line up with the cuts.
        var stdout = new ScriptedStream(Bytes("0123456789"), Bytes("abcdefghijklmnopqrst"), Bytes("UVWXYZ!?!?\nnext\n"));

        var (text, stats) = await CaptureAsync(temp, stdout, settings: settings);

        text.ShouldBe(
            "2026-11-23T12:03:11.123Z o 0123456789abcdef\n" +
            "2026-11-23T12:03:11.123Z o+ ghijklmnopqrstUV\n" +
            "2026-11-23T12:03:11.123Z o+ WXYZ!?!?\n" +
            "2026-11-23T12:03:11.123Z o next\n");
        stats.Lines.ShouldBe(2);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_line_of_exactly_the_limit_is_not_cut()
    {
        using var temp = new TempDirectory();
        var settings = new LogSettings { MaxLineBytes = 16 };

        var (text, _) = await CaptureAsync(temp, new ScriptedStream(Bytes("0123456789abcdef"), Bytes("\n")), settings: settings);

        text.ShouldBe("2026-11-23T12:03:11.123Z o 0123456789abcdef\n");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_long_line_read_back_is_joined_by_its_continuations()
    {
        using var temp = new TempDirectory();
        var line = new string('x', 200_000);

        await CaptureAsync(temp, new MemoryStream(Bytes(line + "\n")));

        var parsed = LogFileContent.Lines(Path.Combine(temp.Path, "api"));
        parsed.Count.ShouldBe(4);
        parsed[0].Continued.ShouldBeFalse();
        parsed.Skip(1).ShouldAllBe(l => l.Continued);
        string.Concat(parsed.Select(l => l.Text)).ShouldBe(line);
    }

    [Fact(Timeout = 10_000)]
    public async Task Invalid_UTF8_passes_through_byte_for_byte()
    {
        using var temp = new TempDirectory();
        byte[] garbage = [0xff, 0xfe, (byte)'a', 0xc3, 0x28, 0x80, (byte)'\r'];

        await CaptureAsync(temp, new ScriptedStream([.. garbage, (byte)'\n']));

        var bytes = await File.ReadAllBytesAsync(Path.Combine(temp.Path, "api", "run-000001.log"), TestContext.Current.CancellationToken);
        bytes.ShouldBe([.. Bytes("2026-11-23T12:03:11.123Z o "), .. garbage, (byte)'\n']);
    }

    [Fact(Timeout = 10_000)]
    public async Task Stdout_and_stderr_are_merged_without_mixing_their_unfinished_lines()
    {
        using var temp = new TempDirectory();
        // stdout leaves a line unfinished across its reads while stderr writes whole lines.
        var stdout = new ScriptedStream(Bytes("out-a"), Bytes("out-b"), Bytes("out-c\n"));
        var stderr = new ScriptedStream(Bytes("err-1\nerr-2\n"), Bytes("err-3\n"));

        var (text, _) = await CaptureAsync(temp, stdout, stderr);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[25..]).ToList();
        lines.ShouldBe(["o out-aout-bout-c", "e err-1", "e err-2", "e err-3"], ignoreOrder: true);
        lines.Where(l => l.StartsWith('e')).ShouldBe(["e err-1", "e err-2", "e err-3"]);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_note_from_the_supervisor_is_a_tend_line()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var capture = new RunLogCapture(directory, 1, time: new FakeTimeProvider(Start));
        var release = new TaskCompletionSource();
        var stdout = new ScriptedStream(Bytes("hello\n")) { BeforeRead = _ => release.Task.Wait(TestContext.Current.CancellationToken) };

        var captured = capture.CaptureAsync(stdout, Stream.Null, TestContext.Current.CancellationToken);
        capture.Note("exited with code 1\n(after 2s)");
        release.SetResult();
        await captured;

        var lines = LogFileContent.Lines(directory);
        lines.ShouldContain(new LogLine(Start, LogStream.Tend, "exited with code 1 (after 2s)"));
        lines.ShouldContain(new LogLine(Start, LogStream.Out, "hello"));
    }
}
