using System.Text.Json;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Backup;

/// <summary>
/// etcdctl snapshot save, verified with snapshot status; restored with etcdctl snapshot restore
/// into a fresh directory that takes the member's data_dir's place (the old one kept as
/// data_dir.before-restore) while etcd is stopped.
/// </summary>
public sealed class EtcdArtifact : ArtifactKind
{
    public static readonly EtcdArtifact Instance = new();

    /// <summary>etcdctl 3.4 speaks v3 by default; said anyway, for an environment that sets ETCDCTL_API=2.</summary>
    private static readonly Dictionary<string, string> V3 = new(StringComparer.Ordinal) { ["ETCDCTL_API"] = "3" };

    public override async Task<Outcome<SavedArtifact>> SaveAsync(BackupSource source, string partialPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var etcd = (EtcdSource)source;
        if (tools.Missing("etcdctl") is { } missing)
        {
            return missing;
        }

        var save = await tools.RunAsync(["etcdctl", $"--endpoints={etcd.Endpoints}", "snapshot", "save", partialPath], V3, cancellationToken);
        if (!save.Succeeded)
        {
            return BackupTools.Failed($"the etcd snapshot of {etcd.Endpoints} failed", "etcdctl snapshot save", save, Path.GetDirectoryName(partialPath));
        }

        if (await StatusAsync(partialPath, tools, cancellationToken) is not { } status)
        {
            return new BackupProblem($"the etcd snapshot of {etcd.Endpoints} does not check", "etcdctl snapshot status could not read it", "run the backup again");
        }

        var version = await tools.VersionAsync("etcdctl", ["version"], cancellationToken);
        return new SavedArtifact(version, $"snapshot status: revision {status.Revision}, {status.Keys} keys");
    }

    public override Task<Outcome<RestoreStep>> PrepareRestoreAsync(BackupSource source, string artifactPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var etcd = (EtcdSource)source;
        if (tools.Missing("etcdctl") is { } missing)
        {
            return Task.FromResult<Outcome<RestoreStep>>(missing);
        }

        if (etcd.DataDirectory is not { } data)
        {
            return Task.FromResult<Outcome<RestoreStep>>(new BackupProblem($"cannot restore etcd at {etcd.Endpoints}", "a snapshot is restored into the member's data directory, and the source does not say where it is", "add data_dir = \"...\" (etcd's --data-dir) to the etcd source"));
        }

        var step = new RestoreStep($"etcdctl snapshot restore into {data} while etcd is stopped", token => PutBackAsync(artifactPath, data, tools, token));
        return Task.FromResult<Outcome<RestoreStep>>(step);
    }

    private static async Task<BackupProblem?> PutBackAsync(string artifact, string data, BackupTools tools, CancellationToken cancellationToken)
    {
        var fresh = data + ".restoring";
        var before = data + ".before-restore";
        try
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }

            var restore = await tools.RunAsync(["etcdctl", "snapshot", "restore", artifact, $"--data-dir={fresh}"], V3, cancellationToken);
            if (!restore.Succeeded)
            {
                return BackupTools.Failed($"etcdctl snapshot restore into {fresh} failed; {data} is untouched", "etcdctl snapshot restore", restore, Path.GetDirectoryName(fresh));
            }

            if (Directory.Exists(before))
            {
                Directory.Delete(before, recursive: true);
            }

            if (Directory.Exists(data))
            {
                Directory.Move(data, before);
            }

            Directory.Move(fresh, data);
            ArtifactFile.SyncDirectory(Path.GetDirectoryName(data)!);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BackupProblem($"cannot put the etcd data back at {data}", IoErrorText.Of(e), $"the snapshot was restored to {fresh}; the old data, if it was moved, is in {before}");
        }
    }

    private sealed record SnapshotStatus(long Revision, long Keys);

    private static async Task<SnapshotStatus?> StatusAsync(string path, BackupTools tools, CancellationToken cancellationToken)
    {
        var run = await tools.RunAsync(["etcdctl", "snapshot", "status", path, "--write-out=json"], V3, cancellationToken);
        if (!run.Succeeded)
        {
            return null;
        }

        try
        {
            // The JSON is the last line: 3.4 prints nothing else, later versions may log before it.
            var line = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{'));
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new SnapshotStatus(root.GetProperty("revision").GetInt64(), root.GetProperty("totalKey").GetInt64());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
