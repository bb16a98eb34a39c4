using System.Globalization;
using Tend.Core.Processes;
using Tend.Core.Text;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// Runs a step's attempt as a child of this process through <see cref="ProcessLauncher"/>: its
/// own process group (a timeout or a stop kills all it forked), its output line by line into
/// the step's log, and dying with this process (a runner SIGKILLed leaves no step behind to
/// race its resumption).
/// </summary>
public sealed class ProcessStepLauncher(TimeProvider time) : IStepLauncher
{
    /// <summary>A stopped step gets SIGTERM, then SIGKILL after this.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

    public async Task<AttemptExit> RunAsync(StepLaunch launch, IStepOutput output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(output);
        await using var log = new StreamWriter(new FileStream(launch.LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        await log.WriteLineAsync($"==> attempt {launch.Attempt.ToString(CultureInfo.InvariantCulture)} at {time.GetUtcNow():O}: {string.Join(' ', launch.Argv.Select(ShellWords.Quote))}");
        var request = new LaunchRequest(launch.Argv[0], [.. launch.Argv.Skip(1)], launch.WorkingDirectory, launch.Environment)
        {
            ReplaceEnvironment = launch.ReplaceEnvironment,
            DieWithParent = true,
        };
        var outcome = Direct(launch) ?? await ProcessLauncher.Shared.StartAsync(request);
        if (outcome is LaunchOutcome.Failed failed)
        {
            await log.WriteLineAsync($"==> could not start: {failed.Failure.Message}");
            return new AttemptExit(null, null, null, failed.Failure.Message, null);
        }

        using var process = StepProcess.Of(outcome);
        output.Started(process.Id);
        var gate = new Lock();
        void Collect(string line)
        {
            lock (gate)
            {
                log.WriteLine(line);
                output.Line(line);
            }
        }

        var reading = Task.WhenAll(process.Outputs.Select(o => PumpAsync(o, Collect)));
        string? killed = null;
        using var deadline = launch.Timeout is { } limit ? new CancellationTokenSource(Timers.Capped(limit), time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            killed = deadline.IsCancellationRequested ? $"timed out after {Quantities.FormatDuration(launch.Timeout!.Value)}" : "stopped with the run";
            await StopGroupAsync(process, graceful: !deadline.IsCancellationRequested);
        }

        // What it left in its group ends with it: a step is a job, not a service.
        if (Signals.GroupExists(process.Id))
        {
            Signals.SendToGroup(process.Id, Signals.SIGKILL);
        }

        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None));
        var status = process.ExitCode;
        var signal = ExitStatus.SignalOf(status);
        lock (gate)
        {
            log.WriteLine($"==> attempt {launch.Attempt.ToString(CultureInfo.InvariantCulture)} ended: {killed ?? ExitStatus.Ended(status)}");
        }

        return new AttemptExit(process.Id, signal is null ? status : null, signal, null, killed);
    }

    /// <summary>The one-exec start, watched by this process's <see cref="StepReaper"/>; null when that cannot be (no reaper, a program not found: the launcher then says why).</summary>
    private static LaunchOutcome? Direct(StepLaunch launch)
    {
        if (StepReaper.ForThisProcess is not { } reaper || !Directory.Exists(launch.WorkingDirectory)
            || ExecutableLookup.Find(launch.Argv[0], launch.WorkingDirectory) is not { } program || !ExecutableLookup.IsExecutable(program))
        {
            return null;
        }

        var outcome = DirectSpawn.Start(program, [.. launch.Argv.Skip(1)], launch.WorkingDirectory, launch.Environment, launch.ReplaceEnvironment);
        if (outcome is LaunchOutcome.Spawned spawned)
        {
            reaper.Watch(spawned.Process.Id);
        }

        return outcome;
    }

    private async Task StopGroupAsync(StepProcess process, bool graceful)
    {
        Signals.SendToGroup(process.Id, graceful ? Signals.SIGTERM : Signals.SIGKILL);
        if (!graceful)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            return;
        }

        using var grace = new CancellationTokenSource(StopGrace, time);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Signals.SendToGroup(process.Id, Signals.SIGKILL);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> collect)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            collect(line);
        }
    }
}
