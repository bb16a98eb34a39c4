using Spectre.Console;
using Tend.Core.Backup;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary>How backups and their problems are printed: one line a backup, one an artifact; a problem with its cause and numbered actions.</summary>
internal static class BackupView
{
    public static void Written(IAnsiConsole console, string shownDirectory, BackupResult result)
    {
        var manifest = result.Backup.Manifest;
        console.MarkupLine($"[green]✓[/] {Markup.Escape(manifest.Component)}: backup [bold]{Markup.Escape(manifest.Id)}[/], {manifest.Artifacts.Count} artifact{(manifest.Artifacts.Count == 1 ? "" : "s")}, {Quantities.FormatSize(manifest.TotalSize)} in {Markup.Escape(shownDirectory)}");
        foreach (var artifact in manifest.Artifacts)
        {
            console.MarkupLine($"    {Markup.Escape(artifact.Name),-18} {Quantities.FormatSize(artifact.Size),10}  sha256 {artifact.Sha256[..16]}…  [grey]{Markup.Escape(artifact.Verified)}[/]");
        }

        foreach (var id in result.Pruned)
        {
            console.MarkupLine($"    [grey]pruned {Markup.Escape(id)} (keep: only the newest are kept, now that this one is verified)[/]");
        }

        foreach (var warning in result.Warnings)
        {
            console.MarkupLine($"    [yellow]⚠[/] {Markup.Escape(warning)}");
        }
    }

    public static void Problem(IAnsiConsole console, string? component, BackupProblem problem)
    {
        console.MarkupLine($"[red]✗[/] {(component is null ? "" : Markup.Escape(component) + ": ")}{Markup.Escape(problem.What)}");
        console.MarkupLine($"    {Markup.Escape(problem.Cause)}");
        for (var i = 0; i < problem.Actions.Count; i++)
        {
            console.MarkupLine($"    [grey]{i + 1}.[/] {Markup.Escape(problem.Actions[i])}");
        }
    }

    public static void List(IAnsiConsole console, IReadOnlyList<StoredBackup> backups, Func<string, string> display)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "COMPONENT", "SOURCES", "SIZE", "CREATED (UTC)", "VERIFIED");
        foreach (var backup in backups)
        {
            var manifest = backup.Manifest;
            table.AddRow(
                Markup.Escape(manifest.Id),
                Markup.Escape(manifest.Component),
                Markup.Escape(string.Join(", ", manifest.Artifacts.Select(a => a.Type))),
                Quantities.FormatSize(manifest.TotalSize),
                manifest.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                "[green]yes[/] [grey](sha256 in manifest)[/]");
        }

        console.Write(table);
        if (backups.Count > 0)
        {
            // A command to type, with a real component and id: the newest backup of a component (the stack's config has no restore).
            var where = $"in {display(Path.GetDirectoryName(Path.GetDirectoryName(backups[0].Directory)!)!)}";
            var newest = backups.LastOrDefault(b => b.Manifest.Component != BackupStore.StackConfig);
            console.MarkupLine(newest is null
                ? $"[grey]{Markup.Escape(where)}[/]"
                : $"[grey]{Markup.Escape(where)}; to restore the newest of {Markup.Escape(newest.Manifest.Component)}: tend restore {Markup.Escape(newest.Manifest.Component)} --from {Markup.Escape(newest.Manifest.Id)}[/]");
        }
    }
}
