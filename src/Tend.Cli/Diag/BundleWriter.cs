using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Tend.Core.Diag;

namespace Tend.Cli.Diag;

/// <summary>What was written: where, how big, how many files, and the redaction counts of the manifest.</summary>
internal sealed record BundleResult(string Path, long Bytes, int Files, IReadOnlyDictionary<string, int> Redactions);

/// <summary>
/// Turns a draft into the archive: every name and text through the redactor, the manifest built
/// from what came out (each of its strings redacted on its own), then a gzipped tar written to a
/// temporary file created 0600 and renamed into place, so that no other user can read a byte of
/// it at any moment and no half-written bundle is ever left under the final name.
/// </summary>
internal static class BundleWriter
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task<BundleResult> WriteAsync(string path, string root, BundleDraft draft, BundleRedactor redactor, Func<IReadOnlyList<BundleFileEntry>, IReadOnlyList<string>, BundleManifest> manifestOf, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var files = draft.Files.Select(f => BundleFile.Redacted($"{root}/{f.Name}", f.Text, redactor)).ToList();
        var leftOut = draft.LeftOut.Select(redactor.Redact).ToList();
        var manifest = manifestOf([.. files.Select(f => f.Entry)], leftOut);
        // Not redacted as a whole text: its counts would read as secrets to the patterns ("private_key": 3).
        // Every string in it is redacted on its own instead; sizes and digests of redacted bytes hold none.
        var manifestJson = JsonSerializer.Serialize(manifest, DiagJson.Default.BundleManifest) + "\n";
        files.Insert(0, new BundleFile($"{root}/manifest.json", Encoding.UTF8.GetBytes(manifestJson)));

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            // Created 0600 by open(2) itself: never readable by others, not even before a chmod.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = Private };
            await using (var stream = new FileStream(temporary, options))
            {
                await using (var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
                {
                    foreach (var file in files)
                    {
                        var entry = new PaxTarEntry(TarEntryType.RegularFile, file.Name)
                        {
                            Mode = Private,
                            ModificationTime = at,
                            DataStream = new MemoryStream(file.Bytes, writable: false),
                        };
                        await tar.WriteEntryAsync(entry, cancellationToken);
                    }
                }

                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            Core.Persistence.FileCleanup.TryDelete(temporary);
            throw;
        }

        return new BundleResult(path, new FileInfo(path).Length, files.Count, manifest.Redactions);
    }
}
