using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tend.Core.Processes;

/// <summary>How a command run by <c>tend run</c> ended.</summary>
public sealed record CommandRunResult(int ExitCode, TimeSpan Duration, IReadOnlyList<string> OutputTail, string? StartError)
{
    public bool Succeeded => StartError is null && ExitCode == 0;

    /// <summary>The signal that ended the process, when it died of one (.NET reports those as 128 + signal).</summary>
    public int? Signal => ExitCode > 128 && ExitCode < 160 ? ExitCode - 128 : null;
}

/// <summary>
/// Runs one command of a component in its own session and process group, forwarding Ctrl+C and
/// SIGTERM to that whole group, so that a stop reaches the grandchildren too. A third signal
/// kills the group outright, for programs that ignore the polite ones.
/// </summary>
public sealed class CommandExecution(TimeProvider time)
{
    private const int TailLines = 40;

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
        var program = ExecutableLookup.Find(argv[0], workingDirectory);
        if (program is null)
        {
            return new CommandRunResult(127, TimeSpan.Zero, [], $"{argv[0]}: not found (looked in {workingDirectory} and on PATH)");
        }

        if (!ExecutableLookup.IsExecutable(program))
        {
            return new CommandRunResult(126, TimeSpan.Zero, [], $"{program}: not executable (chmod +x {program})");
        }

        var info = SessionLauncher.StartInfo(program, argv.Skip(1), workingDirectory, environment);
        info.RedirectStandardOutput = onOutputLine is not null;
        info.RedirectStandardError = onOutputLine is not null;
        using var process = new Process { StartInfo = info };
        var tail = new Queue<string>();
        var gate = new Lock();
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

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

        if (onOutputLine is not null)
        {
            process.OutputDataReceived += (_, e) => Collect(e.Data);
            process.ErrorDataReceived += (_, e) => Collect(e.Data);
        }

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandRunResult(126, TimeSpan.Zero, [], $"cannot start {program}: {e.Message}");
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
        if (onOutputLine is not null)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        using (cancellationToken.Register(() => Signals.SendToGroup(group, Signals.SIGTERM)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Whatever the command left running in its group (a daemon it started on purpose) is
        // left alone: `tend run` runs commands, it does not supervise them.
        lock (gate)
        {
            return new CommandRunResult(process.ExitCode, time.GetElapsedTime(started), [.. tail], null);
        }
    }
}
