using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

/// <summary>process-compose #57: heavy output froze children. Here the disk falls behind, and the child never notices.</summary>
[Collection(nameof(HeavyOutput))]
public sealed class SlowDiskSpecs
{
    private const long FloodBytes = 500_000_000;
    private const string DropMarker = "the disk was slower than the output]";

    [Fact(Timeout = 120_000)]
    public async Task A_child_flooding_output_onto_a_slow_disk_is_never_blocked_and_the_drop_is_counted_and_marked()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "flood");
        var settings = new LogSettings { MaxBufferBytes = 1024 * 1024 };
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
    public async Task A_drop_at_the_very_end_of_a_run_still_gets_its_marker()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "flood");
        var settings = new LogSettings { MaxBufferBytes = 64 * 1024 };
        var sink = new SlowSink(new RunLogFiles(directory, 1, settings, TimeProvider.System), TimeSpan.FromMilliseconds(50));
        var capture = new RunLogCapture(sink, settings);

        var run = await ChildCapture.RunAsync(capture, ["flood", "20000000"], cancellationToken: TestContext.Current.CancellationToken);

        run.Stats.BytesDropped.ShouldBeGreaterThan(0);
        var last = LogFileContent.Lines(directory)[^1];
        last.Stream.ShouldBe(LogStream.Tend);
        last.Text.ShouldEndWith(DropMarker);
    }
}
