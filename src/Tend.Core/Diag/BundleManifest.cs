using System.Text.Json.Serialization;

namespace Tend.Core.Diag;

/// <summary>
/// <c>manifest.json</c> of a diagnostic bundle: what made it, where and when, each file with the
/// size and SHA-256 of its bytes as they are in the archive (after redaction), and how many
/// values each redaction rule replaced. Built only from redacted names and values: sos leaked a
/// password through its manifest (sos#3462).
/// </summary>
public sealed record BundleManifest(
    string Tool,
    string Version,
    string Stack,
    string Host,
    string CreatedAt,
    string Since,
    IReadOnlyList<BundleFileEntry> Files,
    IReadOnlyDictionary<string, int> Redactions,
    IReadOnlyList<string> LeftOut);

/// <param name="Name">The path inside the archive.</param>
/// <param name="Size">Bytes, as stored.</param>
/// <param name="Sha256">Lower-case hex of the stored bytes.</param>
public sealed record BundleFileEntry(string Name, long Size, string Sha256);

/// <summary>Source-generated JSON for the manifest (no reflection: the binary is Native AOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BundleManifest))]
public sealed partial class DiagJson : JsonSerializerContext;
