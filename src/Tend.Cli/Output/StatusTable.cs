using System.Globalization;
using System.Text;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Cli.Output;

/// <summary>
/// The table of `tend status`, one line a component, in 80 columns with names up to 15
/// characters (the probe's own word is in the state: healthy, unhealthy; peek and why have its
/// detail; `tend ls` has the kinds). CPU and memory are the current run's, all its processes, at
/// the daemon's last sample. Without colour it is written as plain text in one go: Spectre's markup costs ~30 µs a
/// line, 15 ms at 500 components, for nothing a pipe can show.
/// </summary>
internal static class StatusTable
{
    private sealed record Row(string Before, string? State, string? StateColor, string After, string? Color);

    public static void Render(Terminal terminal, IReadOnlyList<ComponentSnapshot> components, DateTimeOffset now)
    {
        if (!terminal.Color)
        {
            StandardOutput.Write(PlainText(components, now));
            return;
        }

        foreach (var row in Rows(components, now))
        {
            var state = row.State is null ? "" : $"[{row.StateColor}]{Markup.Escape(row.State)}[/]";
            var line = $"{Markup.Escape(row.Before)}{state}{Markup.Escape(row.After)}";
            terminal.Out.MarkupLine(row.Color is null ? line : $"[{row.Color}]{line}[/]");
        }
    }

    /// <summary>The table as plain text, a line a component: what a pipe gets, and what `tend diag` puts in status.txt.</summary>
    public static string PlainText(IReadOnlyList<ComponentSnapshot> components, DateTimeOffset now)
    {
        var rows = Rows(components, now);
        var text = new StringBuilder(rows.Count * 80);
        foreach (var row in rows)
        {
            text.Append(row.Before).Append(row.State).Append(row.After).Append('\n');
        }

        return text.ToString();
    }

    private static List<Row> Rows(IReadOnlyList<ComponentSnapshot> components, DateTimeOffset now)
    {
        var width = Math.Max(4, components.Count == 0 ? 0 : components.Max(c => c.Name.Length));
        var rows = new List<Row>(components.Count + 1)
        {
            // 80 columns with a name of 15: CPU and MEM one space apart, UPTIME 6 wide (up to 41 days), EXIT at most 8 ("exit 255", "SIGKILL").
            new($"{"NAME".PadRight(width)}  {"STATE",-14}  {"PID",7}  {"UPTIME",6} {"CPU",5} {"MEM",5}  {"RESTARTS",8}  EXIT", null, null, "", "grey"),
        };
        foreach (var c in components)
        {
            var uptime = c.Pid is not null && c.StartedAt is { } at ? Quantities.FormatDuration(now - at) : "-";
            var lastExit = c.LastSignal is { } signal ? Signals.Name(signal) : c.LastExitCode is { } code ? $"exit {code}" : "-";
            var pid = c.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-";
            var cpu = c.Usage is { } usage ? Cpu(usage.CpuPercent) : "-";
            var memory = c.Usage is { } used ? Quantities.FormatShortSize(used.MemoryBytes) : "-";
            rows.Add(new($"{c.Name.PadRight(width)}  ", c.State.Words().PadRight(14), StateView.Color(c.Verdict), $"  {pid,7}  {uptime,6} {cpu,5} {memory,5}  {c.Restarts,8}  {lastExit}", null));
            if (c.Rounds is { } rounds)
            {
                rows.Add(new($"{new string(' ', width)}  ↳ {RoundsSummary.Of(rounds, now)}", null, null, "", "grey"));
            }
        }

        return rows;
    }

    /// <summary>"0.4%", "12%", "180%": a tenth only where it says something.</summary>
    private static string Cpu(double percent) =>
        percent < 10 ? $"{percent.ToString("0.0", CultureInfo.InvariantCulture)}%" : $"{Math.Round(percent).ToString(CultureInfo.InvariantCulture)}%";
}
