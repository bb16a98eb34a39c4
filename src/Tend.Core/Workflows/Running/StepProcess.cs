using System.Diagnostics;
using Tend.Core.Processes;

namespace Tend.Core.Workflows.Running;

/// <summary>A step's process however it was started: spawned in one exec (the usual way) or through the launcher's tools.</summary>
internal abstract class StepProcess : IDisposable
{
    public abstract int Id { get; }

    /// <summary>Its output streams, read line by line into the step's log.</summary>
    public abstract IReadOnlyList<StreamReader> Outputs { get; }

    /// <summary>Its status once ended: the exit code, or 128 + the signal.</summary>
    public abstract int ExitCode { get; }

    public static StepProcess Of(LaunchOutcome outcome) => outcome switch
    {
        LaunchOutcome.Spawned spawned => new Spawned(spawned.Process),
        LaunchOutcome.Started started => new Launched(started.Process),
        _ => throw new ArgumentException($"not a started process: {outcome}", nameof(outcome)),
    };

    public abstract Task WaitForExitAsync(CancellationToken cancellationToken);

    public abstract void Dispose();

    private sealed class Spawned(SpawnedProcess process) : StepProcess
    {
        public override int Id => process.Id;

        public override IReadOnlyList<StreamReader> Outputs { get; } = [new StreamReader(process.Output)];

        public override int ExitCode => process.Exited.Result;

        public override Task WaitForExitAsync(CancellationToken cancellationToken) => process.Exited.WaitAsync(cancellationToken);

        /// <summary>Off the reaper's list while the zombie still holds the PID, then reaped.</summary>
        public override void Dispose()
        {
            StepReaper.ForThisProcess?.Forget(process.Id);
            process.Dispose();
        }
    }

    private sealed class Launched(Process process) : StepProcess
    {
        public override int Id => process.Id;

        public override IReadOnlyList<StreamReader> Outputs { get; } = [process.StandardOutput, process.StandardError];

        public override int ExitCode => process.ExitCode;

        public override Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

        public override void Dispose() => process.Dispose();
    }
}
