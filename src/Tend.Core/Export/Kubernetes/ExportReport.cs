using System.Text;

namespace Tend.Core.Export.Kubernetes;

/// <summary>export-report.md: what was written, what was left out and why, what the user must still do.</summary>
internal static class ExportReport
{
    public static string Render(ExportContext context, IReadOnlyList<ExportFile> manifests, IReadOnlyList<SkippedComponent> skipped)
    {
        var stack = context.Stack;
        var text = new StringBuilder();
        text.Append("# Kubernetes export of stack ").Append(stack.Name).Append("\n\n");
        text.Append("Written by `tend export kubernetes` from ").Append(Path.GetFileName(stack.Path)).Append(", into namespace `").Append(context.Options.Namespace).Append("`.\n");
        text.Append("Every setting of the stack file that did not map one to one is listed below; docs/kubernetes.md says how each one maps.\n\n");

        text.Append("## Manifests\n\n");
        foreach (var file in manifests)
        {
            text.Append("- ").Append(file.Name).Append('\n');
        }

        if (manifests.Count == 0)
        {
            text.Append("- none\n");
        }

        text.Append("\n## Components not exported\n\n");
        foreach (var skip in skipped)
        {
            text.Append("- **").Append(skip.Component).Append("**: not written, because ").Append(skip.Reason).Append(". Fix: ").Append(skip.Fix).Append(".\n");
        }

        if (skipped.Count == 0)
        {
            text.Append("- none\n");
        }

        text.Append("\n## Images the wait containers use\n\n");
        text.Append("- tend wait: ").Append(context.Options.WaitImage is { } tend ? $"`{tend}`" : "not given (--tend-image, or `tend` in the image map)").Append('\n');
        text.Append("- kubectl wait: ").Append(context.Options.KubectlImage is { } kubectl ? $"`{kubectl}`" : "not given (`kubectl` in the image map)").Append('\n');

        text.Append("\n## Secrets to create\n\n");
        text.Append("The manifests refer to these Secrets by name and key; their values are not in this directory. Create each before applying, with its values, e.g. `kubectl create secret generic NAME --from-env-file=FILE`.\n\n");
        foreach (var secret in context.Secrets)
        {
            text.Append("- `").Append(secret.Name).Append("`: ").Append(string.Join(", ", secret.Keys.Select(k => $"`{k}`"))).Append('\n');
        }

        if (context.Secrets.Count == 0)
        {
            text.Append("- none\n");
        }

        Section(text, "Not mapped", "Kubernetes has no place for these; they are not in the manifests.", context.Notes.Where(n => n.Kind == NoteKind.Unmapped));
        Section(text, "Mapped differently", "These are in the manifests, but Kubernetes does them its own way.", context.Notes.Where(n => n.Kind == NoteKind.Approximated));
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, string intro, IEnumerable<ExportNote> notes)
    {
        text.Append("\n## ").Append(title).Append("\n\n").Append(intro).Append("\n\n");
        var any = false;
        foreach (var group in notes.GroupBy(n => n.Component))
        {
            any = true;
            text.Append("### ").Append(group.Key.Length == 0 ? "stack" : group.Key).Append("\n\n");
            foreach (var note in group)
            {
                text.Append("- `").Append(note.Setting).Append("`: ").Append(note.Text).Append('\n');
            }

            text.Append('\n');
        }

        if (!any)
        {
            text.Append("- none\n");
        }
    }
}
