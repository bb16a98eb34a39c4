using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Text;

namespace Tend.Cli.Output;

/// <summary>Alerts for people: each firing one with its facts, what was done and what to do; then the recent resolved, one line each.</summary>
internal static class AlertsView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<AlertRecord> firing, IReadOnlyList<AlertRecord> recent, DateTimeOffset now, int recentShown = 10)
    {
        if (firing.Count == 0)
        {
            console.MarkupLine("[green]✓[/] no alert is firing");
        }

        foreach (var alert in firing)
        {
            RenderFiring(console, alert, now);
        }

        if (recent.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[grey]resolved lately:[/]");
            foreach (var alert in recent.Take(recentShown))
            {
                var lasted = Quantities.FormatDuration(TimeSpan.FromSeconds(Math.Round(((alert.ResolvedAt ?? now) - alert.FiredAt).TotalSeconds)));
                console.MarkupLine($"  [grey]{alert.ResolvedAt?.ToLocalTime():MM-dd HH:mm}[/] {Markup.Escape(alert.Rule)} on {Markup.Escape(alert.Subject)} [grey]after {lasted}: {Markup.Escape(alert.Summary)}[/]");
            }
        }
    }

    /// <summary>One firing alert: headline, facts, action, hint.</summary>
    public static void RenderFiring(IAnsiConsole console, AlertRecord alert, DateTimeOffset now, string indent = "")
    {
        var ago = Quantities.FormatDuration(TimeSpan.FromSeconds(Math.Max(0, Math.Round((now - alert.FiredAt).TotalSeconds))));
        console.MarkupLine($"{indent}{Severity(alert.Severity)} [bold]{Markup.Escape(alert.Rule)}[/] on [bold]{Markup.Escape(alert.Subject)}[/]: {Markup.Escape(alert.Summary)} [grey](firing for {ago})[/]");
        foreach (var fact in alert.Facts)
        {
            console.MarkupLine($"{indent}    [grey]{Markup.Escape(fact)}[/]");
        }

        if (alert.Action is { } action)
        {
            console.MarkupLine($"{indent}    done: {Markup.Escape(action)}");
        }

        if (alert.Hint is { } hint)
        {
            console.MarkupLine($"{indent}    [cyan]→[/] {Markup.Escape(hint)}");
        }
    }

    private static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "[red]✗ critical[/]",
        AlertSeverity.Warning => "[yellow]⚠ warning[/]",
        _ => "[blue]ℹ info[/]",
    };
}
