using System.Diagnostics;
using System.Text;

namespace Tend.Core.Processes;

/// <summary>The result of running a short command to completion with its output captured.</summary>
public sealed record CapturedRun(int ExitCode, string Output, bool TimedOut, LaunchFailure? StartFailure)
{
    public bool Succeeded => !TimedOut && StartFailure is null && ExitCode == 0;

    public bool NotFound => StartFailure?.ErrorClass == "not_found";

    /// <summary>Keeps only the last lines; checks never need more than a screenful.</summary>
    public const int OutputLimit = 64 * 1024;

    public static Task<CapturedRun> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken = default) => RunAsync(argv, workingDirectory, environment, timeout, time, replaceEnvironment: false, cancellationToken);

    /// <summary>
    /// Runs <paramref name="argv"/> without a shell, stdin closed, stdout and stderr merged, in a
    /// process group of its own. On timeout or cancellation the whole group is killed.
    /// </summary>
    public static async Task<CapturedRun> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        TimeProvider time,
        bool replaceEnvironment,
        CancellationToken cancellationToken = default)
    {
        var request = new LaunchRequest(argv[0], [.. argv.Skip(1)], workingDirectory, environment ?? new Dictionary<string, string>()) { ReplaceEnvironment = replaceEnvironment };
        var outcome = await ProcessLauncher.Shared.StartAsync(request);
        if (outcome is LaunchOutcome.Failed failed)
        {
            return new CapturedRun(failed.Failure.ExitCode, "", TimedOut: false, failed.Failure);
        }

        using var process = ((LaunchOutcome.Started)outcome).Process;
        var output = new BoundedText(OutputLimit);
        var reading = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Signals.SendToGroup(process.Id, Signals.SIGKILL);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new CapturedRun(-1, output.ToString(), TimedOut: true, null);
        }

        // What it left in its group is ended with it: a check must not leave processes behind.
        if (Signals.GroupExists(process.Id))
        {
            Signals.SendToGroup(process.Id, Signals.SIGKILL);
        }

        // A process that left the group (setsid, a daemon) may hold the pipes open for good: read
        // what is there, but a check must not outlive its command by more than a moment.
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None));
        return new CapturedRun(process.ExitCode, output.ToString(), TimedOut: false, null);
    }

    private static async Task Pump(StreamReader reader, BoundedText output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>Collects text, dropping the oldest part beyond a limit. Thread-safe: both pipes write here.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();

        public void AppendLine(string line)
        {
            lock (_gate)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > limit)
                {
                    _text.Remove(0, _text.Length - limit);
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }
}
