namespace Tend.Core.Export.Kubernetes;

/// <summary>How a setting of the stack file fared in the export.</summary>
public enum NoteKind
{
    /// <summary>Kubernetes has nothing for it: it is not in the manifests.</summary>
    Unmapped,

    /// <summary>It is in the manifests, but Kubernetes does it differently from tend.</summary>
    Approximated,
}

/// <summary>One line of export-report.md: a component's setting that did not map one to one, and why.</summary>
/// <param name="Component">The component, or empty for the stack as a whole.</param>
/// <param name="Setting">The key as the stack file spells it (<c>restart.backoff</c>, <c>stop.signal</c>).</param>
public sealed record ExportNote(string Component, string Setting, NoteKind Kind, string Text);

/// <summary>A component whose workload was not written, and what it lacks.</summary>
public sealed record SkippedComponent(string Component, string Reason, string Fix);

/// <summary>One file of the export, relative to the output directory.</summary>
public sealed record ExportFile(string Name, string Text);

/// <summary>A Secret the manifests refer to and the user must create: its keys, never its values.</summary>
public sealed record SecretReference(string Name, IReadOnlyList<string> Keys);
