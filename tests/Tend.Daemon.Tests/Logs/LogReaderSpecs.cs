using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

/// <summary><c>tend logs COMP [-n N] [-f] [--run N]</c>: what the CLI reads.</summary>
public sealed class LogReaderSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset TimeOf(int number) => Start.AddSeconds(number);

    /// <summary>Framed lines "line N" stamped N seconds after the start, as a capture writes them.</summary>
    private static byte[] Lines(int from, int count, int run = 1)
    {
        var text = new StringBuilder();
        foreach (var number in Enumerable.Range(from, count))
        {
            text.Append(new LogLine(TimeOf(number), number % 5 == 0 ? LogStream.Err : LogStream.Out, $"run {run} line {number:D6}")).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static string[] Texts(int from, int count, int run = 1) =>
        Enumerable.Range(from, count).Select(n => $"run {run} line {n:D6}").ToArray();

    /// <summary>A run of <paramref name="count"/> lines, rotated every 1 KiB (about 20 lines a file).</summary>
    private static RunLogFiles WriteRun(string directory, int run, int count, int from = 1)
    {
        var files = new RunLogFiles(directory, run, new LogSettings { MaxFileBytes = 1024, KeepFiles = 1000 }, new FakeTimeProvider());
        files.Open();
        files.Write(Lines(from, count, run));
        return files;
    }

    [Fact(Timeout = 10_000)]
    public async Task Tail_reads_the_last_lines_across_rotated_files()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, 1, 200).Dispose();
        LogFileContent.Files(temp.Path).Count.ShouldBeGreaterThan(5);

        var tail = await new ComponentLogs(temp.Path).TailAsync(50, cancellationToken: TestContext.Current.CancellationToken);

        tail.Run.ShouldBe(1);
        tail.Lines.Select(l => l.Text).ShouldBe(Texts(151, 50));
        tail.Lines[^1].Time.ShouldBe(TimeOf(200));
        tail.Lines[^1].Stream.ShouldBe(LogStream.Err);
        tail.End.ShouldBe(new LogPosition(LogFileContent.Files(temp.Path)[^1].Path, LogFileContent.Files(temp.Path)[^1].Bytes));
    }

    [Fact(Timeout = 10_000)]
    public async Task Tail_of_more_lines_than_the_run_has_gives_them_all()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, 1, 30).Dispose();

        var tail = await new ComponentLogs(temp.Path).TailAsync(1000, cancellationToken: TestContext.Current.CancellationToken);

        tail.Lines.Select(l => l.Text).ShouldBe(Texts(1, 30));
    }

    [Fact(Timeout = 10_000)]
    public async Task Tail_reads_the_current_run_by_default_and_another_run_when_asked()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, 1, 40).Dispose();
        WriteRun(temp.Path, 2, 40, from: 101).Dispose();
        var logs = new ComponentLogs(temp.Path);

        var current = await logs.TailAsync(3, cancellationToken: TestContext.Current.CancellationToken);
        var first = await logs.TailAsync(3, run: 1, cancellationToken: TestContext.Current.CancellationToken);
        var missing = await logs.TailAsync(3, run: 9, cancellationToken: TestContext.Current.CancellationToken);

        current.Lines.Select(l => l.Text).ShouldBe(Texts(138, 3, run: 2));
        first.Lines.Select(l => l.Text).ShouldBe(Texts(38, 3, run: 1));
        missing.Lines.ShouldBeEmpty();
        missing.End.File.ShouldBeNull();
    }

    [Fact(Timeout = 10_000)]
    public async Task Tail_leaves_a_line_still_being_written_for_follow()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, 1, 5).Dispose();
        var file = LogFileContent.Files(temp.Path)[^1].Path;
        var complete = new FileInfo(file).Length;
        await File.AppendAllTextAsync(file, "2026-11-23T12:00:06.000Z o half a li", TestContext.Current.CancellationToken);

        var tail = await new ComponentLogs(temp.Path).TailAsync(10, cancellationToken: TestContext.Current.CancellationToken);

        tail.Lines.Select(l => l.Text).ShouldBe(Texts(1, 5));
        tail.End.ShouldBe(new LogPosition(file, complete));
    }

    [Fact(Timeout = 10_000)]
    public async Task Runs_are_listed_with_their_files_sizes_and_time_range()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, 1, 40).Dispose();
        WriteRun(temp.Path, 2, 10, from: 101).Dispose();

        var runs = await new ComponentLogs(temp.Path).RunsAsync(TestContext.Current.CancellationToken);

        runs.Select(r => r.Run).ShouldBe([1, 2]);
        runs[0].Files.Select(f => f.Part).ShouldBe(Enumerable.Range(1, runs[0].Files.Count));
        runs[0].Bytes.ShouldBe(Lines(1, 40).Length);
        runs[0].FirstTime.ShouldBe(TimeOf(1));
        runs[0].LastTime.ShouldBe(TimeOf(40));
        runs[0].IsCurrent.ShouldBeFalse();
        runs[1].FirstTime.ShouldBe(TimeOf(101));
        runs[1].LastTime.ShouldBe(TimeOf(110));
        runs[1].IsCurrent.ShouldBeTrue();
    }

    [Fact(Timeout = 10_000)]
    public async Task Follow_sees_appended_lines_and_follows_rotation_without_a_gap_or_a_repeat()
    {
        using var temp = new TempDirectory();
        using var files = WriteRun(temp.Path, 1, 30);
        var logs = new ComponentLogs(temp.Path);
        var tail = await logs.TailAsync(5, cancellationToken: TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var seen = Collect(logs.FollowAsync(tail.End, pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: stop.Token), 170);
        foreach (var batch in Enumerable.Range(0, 17))
        {
            // Ten lines at a time: about one rotation every two batches.
            files.Write(Lines(31 + (batch * 10), 10));
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        (await seen).Select(l => l.Text).ShouldBe(Texts(31, 170));
        LogFileContent.Files(temp.Path).Count.ShouldBeGreaterThan(8);
        await stop.CancelAsync();
    }

    [Fact(Timeout = 10_000)]
    public async Task Follow_moves_on_to_a_new_run_unless_it_follows_one_run()
    {
        using var temp = new TempDirectory();
        using var runOneFiles = WriteRun(temp.Path, 1, 10);
        var logs = new ComponentLogs(temp.Path);
        var tail = await logs.TailAsync(0, cancellationToken: TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var anyRun = Collect(logs.FollowAsync(tail.End, pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: stop.Token), 5);
        var runOne = logs.FollowAsync(tail.End, run: 1, pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        var runOneNext = runOne.MoveNextAsync().AsTask();
        WriteRun(temp.Path, 2, 5, from: 101).Dispose();

        (await anyRun).Select(l => l.Text).ShouldBe(Texts(101, 5, run: 2));

        // Run 1 writes once more after run 2 began: the follower of run 1 shows that line, not run 2's.
        runOneFiles.Write(Lines(11, 1, 1));
        (await runOneNext).ShouldBeTrue();
        runOne.Current.Text.ShouldBe(Texts(11, 1)[0], "following run 1 must not show run 2");
        await stop.CancelAsync();
        await runOne.DisposeAsync();
    }

    [Fact(Timeout = 10_000)]
    public async Task Follow_of_a_component_without_logs_waits_for_its_first_run()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var logs = new ComponentLogs(directory);
        var tail = await logs.TailAsync(10, cancellationToken: TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var seen = Collect(logs.FollowAsync(tail.End, pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: stop.Token), 3);
        var capture = new RunLogCapture(directory, 1);
        await capture.CaptureAsync(new MemoryStream("a\nb\nc\n"u8.ToArray()), Stream.Null, TestContext.Current.CancellationToken);

        (await seen).Select(l => l.Text).ShouldBe(["a", "b", "c"]);
        await stop.CancelAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task Follow_keeps_up_with_a_real_child_while_it_rotates()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var logs = new ComponentLogs(directory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = Collect(logs.FollowAsync(new LogPosition(null, 0), pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: stop.Token), 20_000);
        var capture = new RunLogCapture(directory, 1, new LogSettings { MaxFileBytes = 64 * 1024, KeepFiles = 1000 });

        await ChildCapture.RunAsync(capture, ["lines", "20000", "--stderr-every", "3"], cancellationToken: TestContext.Current.CancellationToken);

        var lines = await seen;
        lines.Select(l => int.Parse(l.Text.AsSpan(5, 6), System.Globalization.CultureInfo.InvariantCulture)).Order().ShouldBe(Enumerable.Range(1, 20_000));
        await stop.CancelAsync();
    }

    private static async Task<List<LogLine>> Collect(IAsyncEnumerable<LogLine> lines, int count)
    {
        var seen = new List<LogLine>();
        await foreach (var line in lines)
        {
            seen.Add(line);
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }
}
