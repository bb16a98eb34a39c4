namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// The export of a stack: the manifest files, export-report.md among them, what was left out and
/// why. <see cref="Leaks"/> names the files in which a secret value of the stack was found: such an
/// export must not be written.
/// </summary>
public sealed record KubernetesExport(
    IReadOnlyList<ExportFile> Files,
    IReadOnlyList<ExportNote> Notes,
    IReadOnlyList<SkippedComponent> Skipped,
    IReadOnlyList<SecretReference> Secrets,
    IReadOnlyList<string> Leaks)
{
    public const string ReportFileName = "export-report.md";

    /// <summary>The file that marks a directory as written by tend, so that a second export may replace it.</summary>
    public const string MarkerFileName = ".tend-export";

    public IEnumerable<ExportFile> Manifests => Files.Where(f => f.Name.EndsWith(".yaml", StringComparison.Ordinal));
}
