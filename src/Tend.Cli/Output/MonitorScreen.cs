using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Cli.Output;

/// <summary>One frame of `tend monitor`: the host, the components (state, health, CPU, memory, restarts, rounds), the firing alerts and the newest events.</summary>
internal static class MonitorScreen
{
    public static IRenderable Frame(StackSnapshot? snapshot, IReadOnlyList<EventRecord> events, bool live, DateTimeOffset now)
    {
        var rows = new List<IRenderable>();
        if (snapshot is null)
        {
            rows.Add(new Markup("[grey]nothing has run yet: tend up starts the stack, and this view follows it[/]"));
            return new Rows(rows);
        }

        var title = $"[bold]{Markup.Escape(snapshot.Stack)}[/] [grey]{now.ToLocalTime():HH:mm:ss}{(live ? "" : " · the daemon is not running: last known state")}{(Console.IsInputRedirected ? "" : " · q quits")}[/]";
        rows.Add(new Markup(title));
        if (snapshot.Host is { } host)
        {
            rows.Add(new Markup($"[grey]host[/] load {host.Load1.ToString("0.00", CultureInfo.InvariantCulture)} · CPU {(host.CpuPercent is { } cpu ? $"{cpu.ToString("0", CultureInfo.InvariantCulture)}%" : "-")} of {host.Cores} · memory {Quantities.FormatShortSize(host.MemoryAvailableBytes)} free ({host.MemoryUsedPercent.ToString("0", CultureInfo.InvariantCulture)}% used){Gpus(host)}{Disks(host)}"));
        }

        rows.Add(Components(snapshot.Components, now));
        var firing = snapshot.Alerts?.Where(a => a.ResolvedAt is null).ToList() ?? [];
        rows.Add(new Markup(firing.Count == 0 ? "[green]✓ no alert is firing[/]" : $"[bold]alerts firing: {firing.Count}[/]"));
        foreach (var alert in firing)
        {
            var color = alert.Severity == AlertSeverity.Critical ? "red" : alert.Severity == AlertSeverity.Warning ? "yellow" : "blue";
            var since = Quantities.FormatDuration(TimeSpan.FromSeconds(Math.Max(0, Math.Round((now - alert.FiredAt).TotalSeconds))));
            rows.Add(new Markup($"  [{color}]{Markup.Escape(alert.SeverityName)}[/] {Markup.Escape(alert.Rule)} on {Markup.Escape(alert.Subject)}: {Markup.Escape(alert.Summary)} [grey]({Markup.Escape(string.Join("; ", alert.Facts))}; {since})[/]"));
        }

        rows.Add(new Markup("[grey]newest events:[/]"));
        foreach (var e in events.TakeLast(8))
        {
            rows.Add(new Markup($"  [grey]{e.Timestamp.ToLocalTime():HH:mm:ss}[/] {Markup.Escape(e.Component ?? "-")}: {Markup.Escape(EventNarration.Narrate(e))}"));
        }

        return new Rows(rows);
    }

    private static Table Components(IReadOnlyList<ComponentSnapshot> components, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "STATE", "HEALTH", "CPU", "MEM", "PROCS", "RESTARTS", "UPTIME", "ROUNDS" })
        {
            table.AddColumn(new TableColumn($"[grey]{column}[/]") { NoWrap = column != "ROUNDS" });
        }

        foreach (var c in components)
        {
            var usage = c.Usage;
            table.AddRow(
                Markup.Escape(c.Name),
                $"[{StateView.Color(c.Verdict)}]{Markup.Escape(c.State.Words())}[/]",
                c.Health switch { ProbeHealth.Passing => "[green]passing[/]", ProbeHealth.Failing => "[red]failing[/]", ProbeHealth.Starting => "[grey]starting[/]", _ => "-" },
                usage is null ? "-" : $"{usage.CpuPercent.ToString("0.0", CultureInfo.InvariantCulture)}%",
                usage is null ? "-" : Quantities.FormatShortSize(usage.MemoryBytes),
                usage?.Processes.ToString(CultureInfo.InvariantCulture) ?? "-",
                c.Restarts.ToString(CultureInfo.InvariantCulture),
                c.Pid is not null && c.StartedAt is { } at ? Quantities.FormatDuration(now - at) : "-",
                c.Rounds is { } rounds ? Markup.Escape(RoundsSummary.Of(rounds, now)) : "");
        }

        return table;
    }

    private static string Gpus(HostSample host) =>
        host.Gpus is { Count: > 0 } gpus ? " · " + string.Join(", ", gpus.Select(g => $"GPU{g.Index} {g.UtilizationPercent.ToString("0", CultureInfo.InvariantCulture)}% {g.MemoryUsedPercent.ToString("0", CultureInfo.InvariantCulture)}% mem")) : "";

    private static string Disks(HostSample host) =>
        host.Disks.Count == 0 ? "" : " · disk " + string.Join(", ", host.Disks.Select(d => $"{Markup.Escape(d.Mount)} {d.UsedPercent.ToString("0", CultureInfo.InvariantCulture)}%"));
}
