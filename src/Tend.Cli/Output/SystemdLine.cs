using Spectre.Console;
using Tend.Core.Status;

namespace Tend.Cli.Output;

/// <summary>The one line that says the daemon is a systemd service, and how to look at it there.</summary>
internal static class SystemdLine
{
    public static void Render(IAnsiConsole console, StackSnapshot snapshot)
    {
        if (snapshot.Systemd is { } unit)
        {
            console.MarkupLine($"[grey]daemon under systemd: {Markup.Escape(unit.Unit)} ({Markup.Escape(unit.Mode)}); {Markup.Escape(unit.StatusCommand)} shows it[/]");
        }
    }
}
