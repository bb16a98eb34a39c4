using System.Globalization;
using System.Text.Json;
using Tend.Core.Processes;

namespace Tend.Core.Backup;

/// <summary>A backup on disk: its manifest and its directory.</summary>
public sealed record StoredBackup(BackupManifest Manifest, string Directory)
{
    public string Id => Manifest.Id;

    public string PathOf(ManifestArtifact artifact) => System.IO.Path.Combine(Directory, artifact.Name);
}

/// <summary>
/// The backup directory: <c>DIR/COMPONENT/ID/</c> with the artifacts and <c>manifest.json</c>.
/// A backup is being written in <c>DIR/COMPONENT/.ID.PID.partial/</c>, which no listing shows;
/// only a directory with a manifest is a backup.
/// </summary>
public sealed class BackupStore(string root)
{
    public const string ManifestName = "manifest.json";

    /// <summary>Where a config-only backup (<c>tend backup --config</c>) goes: not a component name (those start with a letter or digit).</summary>
    public const string StackConfig = "_config";

    public string Root { get; } = root;

    public string DirectoryOf(string component) => Path.Combine(Root, component);

    /// <summary>Every backup, of one component or all, oldest first.</summary>
    public IReadOnlyList<StoredBackup> List(string? component = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var components = component is null ? Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>() : [component];
        var result = new List<StoredBackup>();
        foreach (var name in components)
        {
            var directory = DirectoryOf(name);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var candidate in Directory.GetDirectories(directory).Where(d => !Path.GetFileName(d).StartsWith('.')))
            {
                if (Read(candidate) is { } manifest)
                {
                    result.Add(new StoredBackup(manifest, candidate));
                }
            }
        }

        return [.. result.OrderBy(b => b.Manifest.CreatedAt).ThenBy(b => b.Manifest.Component, StringComparer.Ordinal).ThenBy(b => b.Id, StringComparer.Ordinal)];
    }

    public StoredBackup? Find(string component, string id) => List(component).FirstOrDefault(b => b.Id == id);

    /// <summary>A new id from the time, <c>20260102-030405</c>, with <c>-2</c>, <c>-3</c>... when the second is taken.</summary>
    public string NewId(string component, DateTimeOffset now)
    {
        var id = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = DirectoryOf(component);
        var candidate = id;
        for (var n = 2; Directory.Exists(Path.Combine(directory, candidate)); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }

    /// <summary>The staging directory of a backup being written by this process.</summary>
    public string StagingOf(string component, string id) => Path.Combine(DirectoryOf(component), $".{id}.{Environment.ProcessId}.partial");

    /// <summary>Removes staging directories whose writer is gone (a tend that was killed): what it left is no backup.</summary>
    public void RemoveAbandoned(string component)
    {
        var directory = DirectoryOf(component);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var staging in Directory.GetDirectories(directory, ".*.partial"))
        {
            var parts = Path.GetFileName(staging).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && !Signals.Send(pid, 0))
            {
                TryDelete(staging);
            }
        }
    }

    /// <summary>Deletes the oldest backups of <paramref name="component"/> beyond the newest <paramref name="keep"/>; the ids it deleted.</summary>
    public IReadOnlyList<string> Prune(string component, int keep)
    {
        var backups = List(component);
        var old = backups.Take(Math.Max(0, backups.Count - keep)).ToList();
        foreach (var backup in old)
        {
            // The manifest goes first: a prune cut short leaves a directory that is no longer a backup, not a broken one.
            Persistence.FileCleanup.TryDelete(Path.Combine(backup.Directory, ManifestName));
            TryDelete(backup.Directory);
        }

        return [.. old.Select(b => b.Id)];
    }

    public static BackupManifest? Read(string directory)
    {
        var path = Path.Combine(directory, ManifestName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), BackupJson.Default.BackupManifest) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next backup's clean-up; the caller has a result to report.
        }
    }
}
