using Tend.Core.Model;

namespace Tend.Core.Backup;

/// <summary>What a saved artifact was verified with, for the manifest.</summary>
public sealed record SavedArtifact(string? ToolVersion, string Verified);

/// <summary>A restore made ready while the component still runs (paths asked of the server, tools found), to apply once it is stopped.</summary>
public sealed record RestoreStep(string Description, Func<CancellationToken, Task<BackupProblem?>> ApplyAsync);

/// <summary>How one type of source is saved to a file and put back: each speaks to its own tools.</summary>
public abstract class ArtifactKind
{
    /// <summary>Writes the artifact to <paramref name="partialPath"/> and verifies it there; the caller renames it once it is synced.</summary>
    public abstract Task<Outcome<SavedArtifact>> SaveAsync(BackupSource source, string partialPath, BackupTools tools, CancellationToken cancellationToken = default);

    public abstract Task<Outcome<RestoreStep>> PrepareRestoreAsync(BackupSource source, string artifactPath, BackupTools tools, CancellationToken cancellationToken = default);

    public static ArtifactKind For(BackupSource source) => source switch
    {
        PostgresSource => PostgresArtifact.Instance,
        RedisSource => RedisArtifact.Instance,
        EtcdSource => EtcdArtifact.Instance,
        FilesSource or ConfigSource => TarArtifact.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source.Type, "no artifact kind for this source type"),
    };
}
