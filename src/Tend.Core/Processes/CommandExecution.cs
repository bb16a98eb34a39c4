using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tend.Core.Processes;

/// <summary>How a command run by <c>tend run</c> ended.</summary>
public sealed record CommandRunResult(int ExitCode, TimeSpan Duration, IReadOnlyList<string> OutputTail, LaunchFailure? StartFailure)
{
    public bool Succeeded => StartFailure is null && ExitCode == 0;

    /// <summary>The signal that ended the process, when it died of one.</summary>
    public int? Signal => ExitStatus.SignalOf(ExitCode);
}

/// <summary>
/// Runs one command of a component in its own session and process group, forwarding Ctrl+C and
/// SIGTERM to that whole group, so that a stop reaches the grandchildren too. A third signal
/// kills the group outright, for programs that ignore the polite ones.
/// </summary>
public sealed class CommandExecution(TimeProvider time)
{
    private const int TailLines = 40;

    /// <summary>The environment given is the child's whole environment (see <see cref="LaunchRequest.ReplaceEnvironment"/>).</summary>
    public bool ReplaceEnvironment { get; init; }

    /// <summary>
    /// Runs <paramref name="argv"/>. With <paramref name="onOutputLine"/> null the child writes
    /// straight to the terminal (a blocking command, with the terminal); otherwise its merged
    /// output is passed line by line and the last lines are kept for the diagnosis.
    /// </summary>
    public async Task<CommandRunResult> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        Action<string>? onOutputLine,
        Action<string>? onSignal = null,
        CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var request = new LaunchRequest(argv[0], [.. argv.Skip(1)], workingDirectory, environment)
        {
            Input = StandardInput.Inherit,
            CaptureOutput = onOutputLine is not null,
            ReplaceEnvironment = ReplaceEnvironment,
        };
        var outcome = await ProcessLauncher.Shared.StartAsync(request);
        if (outcome is LaunchOutcome.Failed failed)
        {
            return new CommandRunResult(failed.Failure.ExitCode, TimeSpan.Zero, [], failed.Failure);
        }

        using var process = ((LaunchOutcome.Started)outcome).Process;
        var tail = new Queue<string>();
        var gate = new Lock();
        void Collect(string line)
        {
            lock (gate)
            {
                onOutputLine!(line);
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }
        }

        var group = process.Id;
        var signalsSeen = 0;
        void Forward(PosixSignalContext context)
        {
            context.Cancel = true;
            signalsSeen++;
            var signal = signalsSeen >= 3 ? Signals.SIGKILL : Signals.FromPosix(context.Signal);
            Signals.SendToGroup(group, signal);
            onSignal?.Invoke(signalsSeen >= 3 ? "killed the process group" : signalsSeen == 2 ? $"forwarded {context.Signal} again; once more kills the process group" : $"forwarded {context.Signal} to process group {group}");
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Forward);
        var reading = onOutputLine is null ? Task.CompletedTask : Task.WhenAll(PumpAsync(process.StandardOutput, Collect), PumpAsync(process.StandardError, Collect));
        using (cancellationToken.Register(() => Signals.SendToGroup(group, Signals.SIGTERM)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // A command may leave a daemon of its own running, holding the pipes: its output is read
        // only while something still writes, and a little after the command itself is gone.
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None));

        // Whatever the command left running in its group (a daemon it started on purpose) is
        // left alone: `tend run` runs commands, it does not supervise them.
        lock (gate)
        {
            return new CommandRunResult(process.ExitCode, time.GetElapsedTime(started), [.. tail], null);
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> collect)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            collect(line);
        }
    }
}
