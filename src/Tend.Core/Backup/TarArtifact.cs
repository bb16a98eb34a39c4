using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Backup;

/// <summary>
/// A tar of paths (a files source, the stack's config), stored by their absolute paths so that a
/// restore puts them back where they were; verified by listing it. A restore moves what is there
/// now aside (PATH.before-restore) before it extracts, so files made since do not linger.
/// </summary>
public sealed class TarArtifact : ArtifactKind
{
    public static readonly TarArtifact Instance = new();

    public override async Task<Outcome<SavedArtifact>> SaveAsync(BackupSource source, string partialPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        if (tools.Missing("tar") is { } missing)
        {
            return missing;
        }

        var wanted = Paths(source);
        var what = $"the tar of {source.Target} failed";
        // A path that is not there yet (an agent's outputs before its last round) is skipped and said; none at all is a failure.
        var paths = wanted.Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        var skipped = wanted.Except(paths, StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
        {
            return new BackupProblem(what, $"none of {string.Join(", ", wanted)} exists", "check the paths of the source: they are relative to the stack file");
        }

        // Relative to /: GNU tar would strip the leading slash anyway, and say so on stderr.
        var create = await tools.RunAsync(["tar", "--create", $"--file={partialPath}", "--directory=/", .. paths.Select(p => p.TrimStart('/'))], null, cancellationToken);
        // GNU tar exits 1 when a file changed while it read it (a log being written): the tar holds
        // what it read, and says so. Where files must hold together, stopped = true stops the writer.
        var changed = create.ExitCode == 1 && create.StartFailure is null && File.Exists(partialPath) ? BackupTools.LastLines(create.Output) : null;
        if (!create.Succeeded && changed is null)
        {
            return BackupTools.Failed(what, "tar", create, Path.GetDirectoryName(partialPath));
        }

        var list = await tools.RunAsync(["tar", "--list", $"--file={partialPath}"], null, cancellationToken);
        if (!list.Succeeded)
        {
            return BackupTools.Failed($"the tar of {source.Target} does not read back", "tar --list", list, Path.GetDirectoryName(partialPath));
        }

        var entries = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var notes = (skipped.Count > 0 ? $"; not there, skipped: {string.Join(", ", skipped)}" : "") + (changed is null ? "" : $"; tar said: {changed}");
        return new SavedArtifact(await tools.VersionAsync("tar", cancellationToken: cancellationToken), $"tar --list: {entries} entr{(entries == 1 ? "y" : "ies")}{notes}");
    }

    public override Task<Outcome<RestoreStep>> PrepareRestoreAsync(BackupSource source, string artifactPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        if (tools.Missing("tar") is { } missing)
        {
            return Task.FromResult<Outcome<RestoreStep>>(missing);
        }

        var paths = Paths(source);
        var step = new RestoreStep($"extract {source.Target} (what is there now is kept as .before-restore)", async token =>
        {
            try
            {
                foreach (var path in paths)
                {
                    MoveAside(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new BackupProblem($"cannot move {source.Target} aside for the restore", IoErrorText.Of(e));
            }

            var extract = await tools.RunAsync(["tar", "--extract", $"--file={artifactPath}", "--directory=/"], null, token);
            return extract.Succeeded ? null : BackupTools.Failed($"extracting {Path.GetFileName(artifactPath)} failed; what was there is in PATH.before-restore", "tar", extract, null);
        });
        return Task.FromResult<Outcome<RestoreStep>>(step);
    }

    private static ValueList<string> Paths(BackupSource source) => source switch
    {
        FilesSource files => [.. files.Paths.Select(p => p.TrimEnd('/')).Select(p => p.Length == 0 ? "/" : p)],
        ConfigSource config => config.Paths,
        _ => [],
    };

    private static void MoveAside(string path)
    {
        var aside = path + ".before-restore";
        if (Directory.Exists(aside))
        {
            Directory.Delete(aside, recursive: true);
        }
        else if (File.Exists(aside))
        {
            File.Delete(aside);
        }

        if (Directory.Exists(path))
        {
            Directory.Move(path, aside);
        }
        else if (File.Exists(path))
        {
            File.Move(path, aside);
        }
    }
}
