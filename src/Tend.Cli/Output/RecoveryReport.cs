using Spectre.Console;
using Tend.Core.Events;

namespace Tend.Cli.Output;

/// <summary>
/// What a daemon just started did about the one before it that did not stop cleanly (killed,
/// crashed): said by `tend up` and `tend start`, not left in the event files for the user to find.
/// </summary>
internal static class RecoveryReport
{
    public static void Render(IAnsiConsole console, string eventsDirectory, DateTimeOffset since)
    {
        var recent = new EventReader(eventsDirectory).Last(500).Where(e => e.Timestamp >= since).ToList();
        if (recent.LastOrDefault(e => e.Kind == EventKinds.DaemonRecovered.Name) is not { } recovered)
        {
            return;
        }

        var stopped = recent
            .Where(e => e.Kind == EventKinds.OrphanStopped.Name)
            .Select(e => $"{e.Component} (pid {e.GetInteger("pid")}, {e.GetText("signal")} in {e.GetInteger("stop_ms")} ms)")
            .ToList();
        var what = stopped.Count == 0
            ? "none of its runs was still alive"
            : $"stopped what it left running: {string.Join(", ", stopped)}";
        console.MarkupLine($"[yellow]↻[/] {Markup.Escape($"the previous daemon (pid {recovered.GetInteger("previous_pid")}) did not stop cleanly (killed or crashed); {what}")}");
    }
}
