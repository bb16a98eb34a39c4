using System.IO.Pipes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

public sealed class CaptureLifecycleSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task Cancelling_a_capture_returns_at_once_with_what_was_read_on_disk()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var capture = new RunLogCapture(directory, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // A child that says "ready" on stderr, then sleeps with its pipes open.
        using var child = ChildCapture.Start(["sleep", "60000", "--ready"]);
        try
        {
            var captured = capture.CaptureAsync(child.StandardOutput.BaseStream, child.StandardError.BaseStream, stop.Token);
            while (capture.Stats.Lines == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, TestContext.Current.CancellationToken);
            }

            await stop.CancelAsync();

            await Should.ThrowAsync<OperationCanceledException>(captured);
            child.HasExited.ShouldBeFalse("the capture ended while the child still held its pipes");
            var line = LogFileContent.Lines(directory).ShouldHaveSingleItem();
            line.Stream.ShouldBe(LogStream.Err);
            line.Text.ShouldBe("ready");
        }
        finally
        {
            ChildCapture.KillIfRunning(child);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task A_run_is_captured_once()
    {
        using var temp = new TempDirectory();
        var capture = new RunLogCapture(temp.Path, 1);
        await capture.CaptureAsync(Stream.Null, Stream.Null, TestContext.Current.CancellationToken);

        await Should.ThrowAsync<InvalidOperationException>(capture.CaptureAsync(Stream.Null, Stream.Null, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task One_pipe_ending_early_leaves_the_other_read_to_its_end()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var capture = new RunLogCapture(directory, 1);
        using var stdout = new AnonymousPipeServerStream(PipeDirection.Out);
        using var stderr = new AnonymousPipeServerStream(PipeDirection.Out);
        using var stdoutReader = new AnonymousPipeClientStream(PipeDirection.In, stdout.ClientSafePipeHandle);
        using var stderrReader = new AnonymousPipeClientStream(PipeDirection.In, stderr.ClientSafePipeHandle);
        var captured = capture.CaptureAsync(stdoutReader, stderrReader, TestContext.Current.CancellationToken);

        // stderr says one line and closes; stdout goes on after it, and the capture waits for its end.
        stderr.Write("warning: early\n"u8);
        stderr.Dispose();
        await WaitForLinesAsync(capture, 1);
        stdout.Write("first\n"u8);
        await WaitForLinesAsync(capture, 2);
        captured.IsCompleted.ShouldBeFalse("the capture ended with stdout still open");
        stdout.Write("second\n"u8);
        stdout.Dispose();
        await captured;

        LogFileContent.Lines(directory).Select(l => $"{l.Stream}: {l.Text}").ShouldBe(["Err: warning: early", "Out: first", "Out: second"]);
    }

    private static async Task WaitForLinesAsync(RunLogCapture capture, long lines)
    {
        while (capture.Stats.Lines < lines)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }
}
