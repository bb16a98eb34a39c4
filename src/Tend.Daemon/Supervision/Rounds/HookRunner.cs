using System.Collections.Concurrent;
using Tend.Core.Events;
using Tend.Core.Processes;
using Tend.Daemon.Processes;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>How a hook went, and which of the watched files it changed.</summary>
public sealed record HookResult(bool Ok, TimeSpan Duration, string? Error, IReadOnlyList<string> OutputTail, IReadOnlyList<string> ChangedFiles);

/// <summary>
/// Runs a rounds hook (<c>on_start</c>, <c>pre_round</c>) to completion with a timeout, in its own
/// process group like any run, and tells which of the round's prompt files it changed, by content.
/// A hook must not leave anything behind: what is left of its group when it exits is stopped, so
/// a `server &amp;` in a hook neither holds the output pipe (and the session) open nor runs on
/// unsupervised.
/// </summary>
public static class HookRunner
{
    private const int TailLines = 10;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    public static async Task<HookResult> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        SupervisorServices services,
        IReadOnlyList<string> watchedFiles,
        bool replaceEnvironment,
        CancellationToken cancellationToken)
    {
        var before = watchedFiles.Select(ReadOrNull).ToList();
        var started = services.Time.GetTimestamp();
        var outcome = await services.Launcher.StartAsync(new LaunchRequest(argv[0], [.. argv.Skip(1)], workingDirectory, environment) { DieWithParent = true, ReplaceEnvironment = replaceEnvironment });
        if (outcome is LaunchOutcome.Failed failed)
        {
            return new HookResult(false, TimeSpan.Zero, failed.Failure.Message, [], []);
        }

        using (var process = ((LaunchOutcome.Started)outcome).Process)
        {
            var output = new ConcurrentQueue<string>();
            var reading = Task.WhenAll(ReadLinesAsync(process.StandardOutput, output), ReadLinesAsync(process.StandardError, output));
            var exited = process.WaitForExitAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var first = await Task.WhenAny(exited, Task.Delay(timeout, services.Time, deadline.Token));
            await deadline.CancelAsync();
            var timedOut = first != exited && !cancellationToken.IsCancellationRequested;
            if (first != exited)
            {
                await services.Stopper.StopAsync(process.Id, Signals.SIGTERM, StopGrace, cancellationToken: CancellationToken.None);
                await exited;
            }

            if (ProcessGroupStopper.GroupAlive(process.Id) > 0)
            {
                await services.Stopper.StopAsync(process.Id, Signals.SIGTERM, StopGrace, leaderReaped: true, cancellationToken: CancellationToken.None);
            }

            // Its group is empty: the pipes close now, unless something left the group and kept them.
            await Task.WhenAny(reading, Task.Delay(StopGrace, TimeProvider.System, CancellationToken.None));
            cancellationToken.ThrowIfCancellationRequested();

            var duration = services.Time.GetElapsedTime(started);
            var changed = watchedFiles.Where((file, i) => !Same(before[i], ReadOrNull(file))).ToList();
            var tail = Redactor.RedactLines(output.TakeLast(TailLines).ToList());
            var error = ExitStatus.Describe(process.ExitCode, timedOut, timeout);
            return new HookResult(error is null, duration, error, tail, changed);
        }
    }

    private static async Task ReadLinesAsync(StreamReader reader, ConcurrentQueue<string> output)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                output.Enqueue(line);
                while (output.Count > TailLines * 4 && output.TryDequeue(out _))
                {
                    // Only the tail is ever shown.
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the hook.
        }
    }

    private static byte[]? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
