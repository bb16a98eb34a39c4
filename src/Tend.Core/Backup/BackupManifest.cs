using System.Text.Json.Serialization;

namespace Tend.Core.Backup;

/// <summary>
/// <c>manifest.json</c> of one backup, written last and atomically: a directory without one is
/// not a backup. Each artifact with its size and SHA-256, checked before any restore.
/// </summary>
public sealed record BackupManifest(
    int Version,
    string Id,
    string Stack,
    string Component,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ManifestArtifact> Artifacts)
{
    public const int CurrentVersion = 1;

    public long TotalSize => Artifacts.Sum(a => a.Size);
}

/// <param name="Name">The file's name in the backup's directory.</param>
/// <param name="Type">The source type: postgres, redis, etcd, files, config.</param>
/// <param name="Target">What was saved: a server address, the paths.</param>
/// <param name="ToolVersion">The tool that wrote it (<c>pg_dump (PostgreSQL) 15.18</c>), as it said.</param>
/// <param name="Verified">How it was verified before it was called a backup (<c>pg_restore --list: 12 entries</c>).</param>
public sealed record ManifestArtifact(string Name, string Type, string Target, long Size, string Sha256, string? ToolVersion, string Verified, DateTimeOffset CreatedAt);

/// <summary>Source-generated serialization of the manifest: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(List<BackupManifest>))]
public sealed partial class BackupJson : JsonSerializerContext;
