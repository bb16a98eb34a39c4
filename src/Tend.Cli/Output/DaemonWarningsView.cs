using Spectre.Console;
using Tend.Core.Status;

namespace Tend.Cli.Output;

/// <summary>The daemon's own troubles (state.json or events it cannot write), above the components in status and peek.</summary>
internal static class DaemonWarningsView
{
    public static void Render(IAnsiConsole console, StackSnapshot snapshot)
    {
        foreach (var warning in snapshot.Warnings ?? [])
        {
            console.MarkupLine($"[yellow]⚠ {Markup.Escape(warning.Message)}[/] [grey](since {warning.Since.ToLocalTime():HH:mm:ss})[/]");
        }
    }
}
