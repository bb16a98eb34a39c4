namespace Tend.Core.Backup;

/// <summary>
/// Stops a component (and what depends on it) for a copy or a restore, and starts again what it
/// stopped. The CLI does it through the daemon's control protocol; with no daemon, nothing runs
/// and there is nothing to do.
/// </summary>
public interface IComponentPause
{
    /// <summary>Null once stopped; a problem when it could not be stopped (then nothing is touched).</summary>
    Task<BackupProblem?> StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts again what <see cref="StopAsync"/> stopped; a problem when it did not come up.</summary>
    Task<BackupProblem?> ResumeAsync(CancellationToken cancellationToken = default);
}
