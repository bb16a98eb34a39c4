using System.Diagnostics;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Text;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// Runs <see cref="NotifierSpec.Argv"/> (no shell) with the alert on its stdin, closed after it.
/// Exit 0 delivers it; another exit, a signal or the timeout is worth another try; a command
/// that cannot be started (not found, not executable) is final. The command runs in a process
/// group of its own, like every process tend starts: on timeout the whole group is killed, and
/// whatever it left running when it exited is killed too.
/// </summary>
internal sealed class ExecNotifier(NotifierSpec spec, TimeProvider time, ProcessLauncher launcher, string workingDirectory) : INotifier
{
    /// <summary>Kept of each of stdout and stderr, for the report.</summary>
    public const int OutputLimit = 4096;

    /// <summary>How long the pipes may stay open after the command is gone (something that left its group may hold them).</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, string> NoExtraEnvironment = [];

    public async Task<DeliveryResult> DeliverAsync(AlertMessage message, CancellationToken cancellationToken = default)
    {
        if (spec.Argv is not { Count: > 0 } argv)
        {
            return DeliveryResult.GiveUp("no command to run");
        }

        var request = new LaunchRequest(argv[0], [.. argv.Skip(1)], workingDirectory, NoExtraEnvironment) { Input = StandardInput.Pipe, DieWithParent = true };
        var outcome = await launcher.StartAsync(request);
        if (outcome is LaunchOutcome.Failed { Failure: var failure })
        {
            return failure.Transient ? DeliveryResult.Retry(failure.Message) : DeliveryResult.GiveUp(failure.Message);
        }

        using var process = ((LaunchOutcome.Started)outcome).Process;
        var stdout = new OutputTail(OutputLimit);
        var stderr = new OutputTail(OutputLimit);
        var reading = Task.WhenAll(stdout.ReadAsync(process.StandardOutput), stderr.ReadAsync(process.StandardError), FeedAsync(process, message.Json));
        var exited = process.WaitForExitAsync(CancellationToken.None);
        bool timedOut;
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timedOut = await Task.WhenAny(exited, Task.Delay(spec.Timeout, time, waiting.Token)) != exited;
            await waiting.CancelAsync();
        }

        // On timeout (or a stop) the command and all it started; after an exit, what it left behind.
        if (timedOut || Signals.GroupExists(process.Id))
        {
            Signals.SendToGroup(process.Id, Signals.SIGKILL);
        }

        await exited;
        await Task.WhenAny(reading, Task.Delay(DrainGrace, TimeProvider.System, CancellationToken.None));
        cancellationToken.ThrowIfCancellationRequested();
        return Result(process, timedOut, stdout, stderr);
    }

    private DeliveryResult Result(Process process, bool timedOut, OutputTail stdout, OutputTail stderr)
    {
        var output = Redactor.Redact(string.Concat(stderr.Text, stdout.Text));
        var said = stderr.LastLine ?? stdout.LastLine;
        var detail = said is null ? "" : ": " + Redactor.Redact(said);
        if (timedOut)
        {
            return DeliveryResult.Retry($"timed out after {Quantities.FormatDuration(spec.Timeout)}, killed{detail}", output);
        }

        return process.ExitCode == 0 ? DeliveryResult.Delivered("exit 0", output)
            : ExitStatus.SignalOf(process.ExitCode) is { } signal ? DeliveryResult.Retry($"killed by {Signals.Name(signal)}{detail}", output)
            : DeliveryResult.Retry($"exit {process.ExitCode}{detail}", output);
    }

    /// <summary>Writes the body and closes stdin, so the command reads end-of-file after it.</summary>
    private static async Task FeedAsync(Process process, byte[] json)
    {
        var stdin = process.StandardInput;
        try
        {
            await stdin.BaseStream.WriteAsync(json);
            await stdin.BaseStream.FlushAsync();
        }
        catch (IOException)
        {
            // It exited, or closed its stdin, without reading it all: its exit status tells.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // The same broken pipe.
            }
        }
    }
}
