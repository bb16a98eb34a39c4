using System.Globalization;
using System.Text;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

/// <summary>pm2's standard (pm2-logrotate #163, pm2 #2613): every numbered line exactly once, in order, whole, across rotation.</summary>
[Collection(nameof(HeavyOutput))]
public sealed class LogIntegritySpecs
{
    private const int Count = 200_000;
    private const int StderrEvery = 7;
    private const string Payload = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU";

    [Fact(Timeout = 120_000)]
    public async Task Every_numbered_line_of_both_streams_appears_exactly_once_in_order_and_whole_across_rotations()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        // A backlog that a busy test box cannot overrun: this is about framing and rotation, and
        // a drop (which the slow-disk specs cover) would show here as missing lines.
        var settings = new LogSettings { MaxFileBytes = 1024 * 1024, KeepFiles = 100, MaxBufferBytes = 64 * 1024 * 1024 };
        var capture = new RunLogCapture(directory, 1, settings);

        var run = await ChildCapture.RunAsync(capture, ["lines", Count.ToString(CultureInfo.InvariantCulture), "--stderr-every", StderrEvery.ToString(CultureInfo.InvariantCulture)], cancellationToken: TestContext.Current.CancellationToken);

        run.ExitCode.ShouldBe(0);
        run.Stats.Lines.ShouldBe(Count);
        run.Stats.BytesRead.ShouldBe(Count * 64L);
        run.Stats.BytesDropped.ShouldBe(0);
        run.Stats.BytesLost.ShouldBe(0);

        var files = LogFileContent.Files(directory);
        files.Count.ShouldBeGreaterThan(10, "18 MB of log in 1 MB files must rotate");
        files.Select(f => f.Part).ShouldBe(Enumerable.Range(1, files.Count));
        files.ShouldAllBe(f => f.Bytes <= settings.MaxFileBytes);
        LogFileContent.Current(directory).ShouldBe(files[^1].Path);
        run.Stats.BytesWritten.ShouldBe(files.Sum(f => f.Bytes));

        var lastOut = 0;
        var lastErr = 0;
        var seen = new bool[Count + 1];
        foreach (var file in files)
        {
            foreach (var raw in LogFileContent.RawLines(file.Path))
            {
                var line = LogLine.Parse(raw);
                line.Continued.ShouldBeFalse();
                line.Text.Length.ShouldBe(63, $"a line was split or joined: {Encoding.UTF8.GetString(raw)}");
                var number = int.Parse(line.Text.AsSpan(5, 6), CultureInfo.InvariantCulture);
                var toStderr = number % StderrEvery == 0;
                line.Stream.ShouldBe(toStderr ? LogStream.Err : LogStream.Out);
                line.Text.ShouldBe($"line {number:D6} {(toStderr ? "err" : "out")} {Payload}");
                seen[number].ShouldBeFalse($"line {number} appears twice");
                seen[number] = true;
                if (toStderr)
                {
                    number.ShouldBeGreaterThan(lastErr, "stderr out of order");
                    lastErr = number;
                }
                else
                {
                    number.ShouldBeGreaterThan(lastOut, "stdout out of order");
                    lastOut = number;
                }
            }
        }

        Enumerable.Range(1, Count).Where(n => !seen[n]).ShouldBeEmpty("lines missing");
    }
}
