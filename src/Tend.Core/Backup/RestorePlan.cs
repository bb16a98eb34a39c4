using Tend.Core.Model;

namespace Tend.Core.Backup;

/// <summary>
/// What a restore of one backup will do, made before anything is touched: every artifact's
/// checksum checked, every source matched to the stack file's, every tool found, every server
/// asked what it needs to be asked while it still runs.
/// </summary>
public sealed record RestorePlan(StoredBackup Backup, IReadOnlyList<RestoreStep> Steps, bool NeedsComponentStopped)
{
    /// <summary>Checks every artifact's size and SHA-256 against the manifest; the first that differs, as a problem.</summary>
    public static async Task<BackupProblem?> VerifyAsync(StoredBackup backup, CancellationToken cancellationToken = default)
    {
        foreach (var artifact in backup.Manifest.Artifacts)
        {
            var path = backup.PathOf(artifact);
            var refused = $"backup {backup.Id} of {backup.Manifest.Component} is refused; nothing was changed";
            string[] actions = ["restore another backup: `tend backup --list` shows them"];
            if (!File.Exists(path))
            {
                return new BackupProblem(refused, $"{artifact.Name} is missing from {backup.Directory}", actions);
            }

            var size = new FileInfo(path).Length;
            var sha256 = await ArtifactFile.Sha256Async(path, cancellationToken);
            if (sha256 != artifact.Sha256)
            {
                return new BackupProblem(refused, $"{artifact.Name} is corrupted: sha256 differs (manifest {artifact.Sha256[..12]}…, file {sha256[..12]}…, {size} bytes, manifest says {artifact.Size})", actions);
            }
        }

        return null;
    }

    /// <summary>Matches the backup's artifacts (but the config, which tend does not put back) to the component's sources and prepares each.</summary>
    public static async Task<Outcome<RestorePlan>> PrepareAsync(Component component, StoredBackup backup, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var steps = new List<RestoreStep>();
        var needsStopped = false;
        foreach (var artifact in backup.Manifest.Artifacts.Where(a => a.Type != "config"))
        {
            var source = component.Backup.Sources.FirstOrDefault(s => s.ArtifactName == artifact.Name && s.Type == artifact.Type);
            if (source is null)
            {
                return new BackupProblem(
                    $"cannot restore {artifact.Name} of backup {backup.Id}",
                    $"components.{component.Name}.backup has no {artifact.Type} source that wrote it now (the stack file changed since)",
                    "put the source back in the stack file as it was when the backup was taken");
            }

            var prepared = await ArtifactKind.For(source).PrepareRestoreAsync(source, backup.PathOf(artifact), tools, cancellationToken);
            if (prepared.Problem is { } problem)
            {
                return problem;
            }

            steps.Add(prepared.Value!);
            needsStopped |= source.RestoreNeedsStopped;
        }

        return new RestorePlan(backup, steps, needsStopped);
    }

    /// <summary>Applies the steps in order; the first problem stops it.</summary>
    public async Task<BackupProblem?> ApplyAsync(Action<string> progress, CancellationToken cancellationToken = default)
    {
        foreach (var step in Steps)
        {
            progress(step.Description);
            if (await step.ApplyAsync(cancellationToken) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
