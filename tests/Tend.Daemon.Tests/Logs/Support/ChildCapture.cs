using System.Diagnostics;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Support;

namespace Tend.Daemon.Tests.Logs.Support;

/// <summary>How a run went: the child's exit, how long the child took, and the capture's counters at the end.</summary>
internal sealed record CapturedRun(int ExitCode, TimeSpan ChildElapsed, TimeSpan CaptureElapsed, LogCaptureStats Stats);

/// <summary>Runs Tend.Dummy as a real child with redirected pipes, as the supervisor does, and captures it.</summary>
internal static class ChildCapture
{
    public static async Task<CapturedRun> RunAsync(RunLogCapture capture, string[] dummyArgs, Func<Task>? whileRunning = null, CancellationToken cancellationToken = default)
    {
        var token = cancellationToken;
        using var process = Start(dummyArgs);
        try
        {
            var started = Stopwatch.StartNew();
            var captured = capture.CaptureAsync(process.StandardOutput.BaseStream, process.StandardError.BaseStream, token);
            if (whileRunning is not null)
            {
                await whileRunning();
            }

            await process.WaitForExitAsync(token);
            var child = started.Elapsed;
            await captured;
            return new CapturedRun(process.ExitCode, child, started.Elapsed, capture.Stats);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    /// <summary>The same child with its output read and thrown away: how long it takes without capture.</summary>
    public static async Task<TimeSpan> BaselineAsync(string[] dummyArgs, CancellationToken cancellationToken = default)
    {
        var token = cancellationToken;
        using var process = Start(dummyArgs);
        try
        {
            var started = Stopwatch.StartNew();
            var drain = Task.WhenAll(
                process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, 64 * 1024, token),
                process.StandardError.BaseStream.CopyToAsync(Stream.Null, 64 * 1024, token));
            await process.WaitForExitAsync(token);
            var elapsed = started.Elapsed;
            await drain;
            return elapsed;
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    public static Process Start(string[] dummyArgs)
    {
        var argv = Dummy.Argv(dummyArgs);
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv[1..])
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("the dummy did not start");
    }

    public static void KillIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                // Only the child this test started, by its PID.
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
