using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

/// <summary>
/// The disk falls behind a flooding child. By default (<c>on_full = "block"</c>) the child waits for
/// it, as under supervisord, and not a line is lost; with <c>"drop"</c> the child never notices
/// (process-compose #57: heavy output froze children) and the drop is counted and marked.
/// </summary>
[Collection(nameof(HeavyOutput))]
public sealed class SlowDiskSpecs
{
    private const long FloodBytes = 500_000_000;
    private const string DropMarker = "the disk was slower than the output]";

    [Fact(Timeout = 120_000)]
    public async Task With_on_full_drop_a_child_flooding_output_onto_a_slow_disk_is_never_blocked_and_the_drop_is_counted_and_marked()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "flood");
        var settings = new LogSettings { MaxBufferBytes = 1024 * 1024, DropWhenFull = true };
        // 20 ms a write: about 4 MB/s, a hundred times slower than the child.
        var sink = new SlowSink(new RunLogFiles(directory, 1, settings, TimeProvider.System), TimeSpan.FromMilliseconds(20));
        var capture = new RunLogCapture(sink, settings);
        string[] flood = ["flood", FloodBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var alone = await ChildCapture.BaselineAsync(flood, TestContext.Current.CancellationToken);
        var run = await ChildCapture.RunAsync(capture, flood, cancellationToken: TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"flood {FloodBytes / 1e6:F0} MB: child alone {alone.TotalSeconds:F2}s, captured onto a slow disk {run.ChildElapsed.TotalSeconds:F2}s; dropped {run.Stats.BytesDropped / 1e6:F1} MB");
        run.ExitCode.ShouldBe(0);
        // Waiting for the disk would take the child two minutes; the margin is for a loaded machine, not for waiting.
        run.ChildElapsed.ShouldBeLessThan(alone * 5 + TimeSpan.FromSeconds(3), "the child waited for the disk");
        run.Stats.BytesRead.ShouldBe(FloodBytes);
        run.Stats.BytesDropped.ShouldBeGreaterThan(0);

        var lines = LogFileContent.Lines(directory);
        var markers = lines.Where(l => l.Stream == LogStream.Tend && l.Text.EndsWith(DropMarker, StringComparison.Ordinal)).ToList();
        markers.ShouldNotBeEmpty();
        markers.Sum(m => long.Parse(m.Text.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(run.Stats.BytesDropped);
        // Whole lines are dropped, never parts: what was kept plus what was dropped is the output.
        var kept = lines.Where(l => l.Stream == LogStream.Out).ToList();
        kept.ShouldAllBe(l => l.Text.Length == 99 && l.Text.StartsWith("flood x", StringComparison.Ordinal));
        (kept.Count * 100L + run.Stats.BytesDropped).ShouldBe(FloodBytes);
    }

    [Fact(Timeout = 30_000)]
    public async Task With_on_full_drop_a_drop_at_the_very_end_of_a_run_still_gets_its_marker()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "flood");
        var settings = new LogSettings { MaxBufferBytes = 64 * 1024, DropWhenFull = true };
        var sink = new SlowSink(new RunLogFiles(directory, 1, settings, TimeProvider.System), TimeSpan.FromMilliseconds(50));
        var capture = new RunLogCapture(sink, settings);

        var run = await ChildCapture.RunAsync(capture, ["flood", "20000000"], cancellationToken: TestContext.Current.CancellationToken);

        run.Stats.BytesDropped.ShouldBeGreaterThan(0);
        var last = LogFileContent.Lines(directory)[^1];
        last.Stream.ShouldBe(LogStream.Tend);
        last.Text.ShouldEndWith(DropMarker);
    }

    [Fact(Timeout = 120_000)]
    public async Task By_default_a_child_flooding_output_onto_a_slow_disk_waits_for_it_and_every_line_is_kept_with_the_backlog_bounded()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "flood");
        const long limit = 1024 * 1024;
        var settings = new LogSettings { MaxBufferBytes = limit };
        // 20 ms a write of up to 128 KiB: about 6 MB/s, far slower than the child.
        var sink = new SlowSink(new RunLogFiles(directory, 1, settings, TimeProvider.System), TimeSpan.FromMilliseconds(20));
        var capture = new RunLogCapture(sink, settings);
        const long floodBytes = 20_000_000;
        var highest = 0L;
        var sawPause = false;
        using var sampling = new CancellationTokenSource();

        var run = await ChildCapture.RunAsync(capture, ["flood", floodBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)], whileRunning: () =>
        {
            _ = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    highest = Math.Max(highest, capture.Stats.BacklogBytes);
                    sawPause |= capture.IsPaused;
                    await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System, CancellationToken.None);
                }
            }, CancellationToken.None);
            return Task.CompletedTask;
        }, cancellationToken: TestContext.Current.CancellationToken);
        await sampling.CancelAsync();

        TestContext.Current.TestOutputHelper?.WriteLine($"flood {floodBytes / 1e6:F0} MB onto a slow disk: child {run.ChildElapsed.TotalSeconds:F2}s, backlog at most {highest / 1e6:F2} MB");
        run.ExitCode.ShouldBe(0);
        sawPause.ShouldBeTrue("the reading never paused: the child did not wait for the disk");
        run.Stats.BytesDropped.ShouldBe(0);
        run.Stats.BytesRead.ShouldBe(floodBytes);
        // Over the limit by at most what one read of each pipe framed adds (256 KiB of 100-byte lines is ~330 KB framed).
        highest.ShouldBeLessThan(limit + (2 * 400 * 1024));
        var lines = LogFileContent.Lines(directory);
        lines.ShouldNotContain(l => l.Stream == LogStream.Tend);
        var kept = lines.Where(l => l.Stream == LogStream.Out).ToList();
        kept.Count.ShouldBe((int)(floodBytes / 100));
        kept.ShouldAllBe(l => l.Text.Length == 99 && l.Text.StartsWith("flood x", StringComparison.Ordinal));
    }
}
