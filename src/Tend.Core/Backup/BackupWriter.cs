using System.Text.Json;
using Tend.Core.Model;
using Tend.Core.Persistence;
using Tend.Core.Text;

namespace Tend.Core.Backup;

/// <summary>A backup written and verified, the older ones pruned because of it, and what to tell besides.</summary>
public sealed record BackupResult(StoredBackup Backup, IReadOnlyList<string> Pruned, IReadOnlyList<string> Warnings);

/// <summary>
/// Writes one backup of one component: each artifact to NAME.partial in a hidden staging
/// directory, synced, verified, renamed; then the manifest, last and atomically; then the
/// directory renamed to its id. Whatever fails (a tool's error, a kill, a full disk) takes the
/// staging directory with it: nothing that looks like a backup is left. <c>keep</c> prunes only
/// after the new backup is in place.
/// </summary>
public sealed class BackupWriter(BackupStore store, BackupTools tools)
{
    public async Task<Outcome<BackupResult>> WriteAsync(string stackName, string component, IReadOnlyList<BackupSource> sources, int? keep, IComponentPause? pause, CancellationToken cancellationToken = default)
    {
        var directory = store.DirectoryOf(component);
        string staging;
        string id;
        try
        {
            ArtifactFile.CreatePrivateDirectory(store.Root);
            ArtifactFile.CreatePrivateDirectory(directory);
            store.RemoveAbandoned(component);
            id = store.NewId(component, tools.Time.GetUtcNow());
            staging = store.StagingOf(component, id);
            ArtifactFile.CreatePrivateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unwritable(component, directory, e);
        }

        var warnings = new List<string>();
        try
        {
            var artifacts = new List<ManifestArtifact>();
            // Live sources first: a server that is a stopped source's component must still answer them.
            foreach (var source in sources.Where(s => !s.SaveNeedsStopped))
            {
                var saved = await SaveAsync(source, staging, cancellationToken);
                if (saved.Problem is { } problem)
                {
                    return problem;
                }

                artifacts.Add(saved.Value!);
            }

            var stopped = sources.Where(s => s.SaveNeedsStopped).ToList();
            if (stopped.Count > 0)
            {
                if (pause is not null && await pause.StopAsync(cancellationToken) is { } notStopped)
                {
                    return notStopped;
                }

                try
                {
                    foreach (var source in stopped)
                    {
                        var saved = await SaveAsync(source, staging, cancellationToken);
                        if (saved.Problem is { } problem)
                        {
                            return problem;
                        }

                        artifacts.Add(saved.Value!);
                    }
                }
                finally
                {
                    if (pause is not null && await pause.ResumeAsync(CancellationToken.None) is { } notStarted)
                    {
                        warnings.Add($"{notStarted.What}: {notStarted.Cause}");
                    }
                }
            }

            var manifest = new BackupManifest(BackupManifest.CurrentVersion, id, stackName, component, tools.Time.GetUtcNow(), artifacts);
            var final = Path.Combine(directory, id);
            try
            {
                AtomicFile.WriteAllText(Path.Combine(staging, BackupStore.ManifestName), JsonSerializer.Serialize(manifest, BackupJson.Default.BackupManifest));
                ArtifactFile.SyncDirectory(staging);
                Directory.Move(staging, final);
                ArtifactFile.SyncDirectory(directory);
            }
            catch (IOException e) when (DiskSpace.IsFull(e))
            {
                return DiskSpace.Problem($"the backup of {component} could not be finished", directory, $"writing its manifest: {IoErrorText.Of(e)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Unwritable(component, directory, e);
            }

            var pruned = keep is { } n ? store.Prune(component, n) : [];
            return new BackupResult(new StoredBackup(manifest, final), pruned, warnings);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                BackupStore.TryDelete(staging);
            }
        }
    }

    /// <summary>One artifact: written as NAME.partial, synced, renamed, measured and summed.</summary>
    private async Task<Outcome<ManifestArtifact>> SaveAsync(BackupSource source, string staging, CancellationToken cancellationToken)
    {
        var partial = Path.Combine(staging, source.ArtifactName + ".partial");
        var what = $"the {source.Type} backup of {source.Target} failed";
        try
        {
            var saved = await ArtifactKind.For(source).SaveAsync(source, partial, tools, cancellationToken);
            if (saved.Problem is { } problem)
            {
                return problem;
            }

            if (!File.Exists(partial))
            {
                return new BackupProblem(what, "the tool said it succeeded but wrote no file");
            }

            ArtifactFile.SyncFile(partial);
            var final = Path.Combine(staging, source.ArtifactName);
            File.Move(partial, final);
            var size = new FileInfo(final).Length;
            var sha256 = await ArtifactFile.Sha256Async(final, cancellationToken);
            return new ManifestArtifact(source.ArtifactName, source.Type, source.Target, size, sha256, saved.Value!.ToolVersion, saved.Value.Verified, tools.Time.GetUtcNow());
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            return DiskSpace.Problem(what, staging, IoErrorText.Of(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BackupProblem(what, IoErrorText.Of(e));
        }
    }

    private static BackupProblem Unwritable(string component, string directory, Exception e) =>
        DiskSpace.IsFull(e as IOException ?? new IOException(e.Message))
            ? DiskSpace.Problem($"the backup of {component} could not be written", directory, IoErrorText.Of(e))
            : new BackupProblem($"the backup of {component} could not be written in {directory}", IoErrorText.Of(e), "check that the directory is yours and writable, or set [stack] backups = \"DIR\"");
}
