using Tend.Core.Events;
using Tend.Core.Processes;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>How a hook went, and which of the watched files it changed.</summary>
public sealed record HookResult(bool Ok, TimeSpan Duration, string? Error, IReadOnlyList<string> OutputTail, IReadOnlyList<string> ChangedFiles);

/// <summary>
/// Runs a rounds hook (<c>on_start</c>, <c>pre_round</c>) to completion with a timeout, and
/// tells which of the round's prompt files it changed, by content, so the event can say that the
/// prompt a round got was not the one on disk at validation.
/// </summary>
public static class HookRunner
{
    public static async Task<HookResult> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        TimeProvider time,
        IReadOnlyList<string> watchedFiles,
        CancellationToken cancellationToken)
    {
        var before = watchedFiles.Select(ReadOrNull).ToList();
        var started = time.GetTimestamp();
        var program = ExecutableLookup.Find(argv[0], workingDirectory);
        if (program is null)
        {
            return new HookResult(false, TimeSpan.Zero, $"{argv[0]}: not found (looked in {workingDirectory} and on PATH)", [], []);
        }

        var run = await CapturedRun.RunAsync([program, .. argv.Skip(1)], workingDirectory, environment, timeout, time, cancellationToken);
        var duration = time.GetElapsedTime(started);
        var changed = watchedFiles.Where((file, i) => !Same(before[i], ReadOrNull(file))).ToList();
        var tail = Redactor.RedactLines(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(10).ToList());
        var error = run.StartError is { } startError ? $"cannot start: {startError}"
            : run.TimedOut ? $"timed out after {Core.Config.Quantities.FormatDuration(timeout)}"
            : run.ExitCode != 0 ? $"exit code {run.ExitCode}"
            : null;
        return new HookResult(error is null, duration, error, tail, changed);
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
