using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control;

namespace Tend.Cli.Verbs;

/// <summary><c>tend peek</c>: the whole snapshot: every component with its probe, back-off timer and wait, and the latest events.</summary>
internal static class PeekVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("peek", "The full snapshot: components, probes, back-off timers, recent events");
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForControl() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        var state = await StackState.ReadAsync(connection, cancellationToken);
        var recent = await new StackFacts(connection, cli.Time).EventsAsync(EventFilter.All, 20, follow: false, cancellationToken).ToListAsync(cancellationToken);
        return Show(cli, state, recent, stack.Name);
    }

    /// <summary>The snapshot and the latest events as `tend peek` prints them, here or from another host (`--host`).</summary>
    public static int Show(CliContext cli, StackState state, IReadOnlyList<EventRecord> recent, string stackName)
    {
        if (state.Problem is { } problem)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(problem)}");
        }

        if (cli.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new PeekReport(state.Live, state.Snapshot, state.Orphans, [.. recent.Select(EventJson.ToElement)]), StatusJson.Default.PeekReport));
            return ExitCodes.Ok;
        }

        var console = cli.Terminal.Out;
        if (state.Snapshot is not { } snap)
        {
            console.MarkupLine($"[grey]{Markup.Escape(stackName)}: nothing has run yet (tend up)[/]");
            return ExitCodes.Ok;
        }

        var now = cli.Time.GetUtcNow();
        console.MarkupLine(state.Live
            ? $"[bold]{Markup.Escape(snap.Stack)}[/]: daemon pid {snap.DaemonPid}, up {Quantities.FormatDuration(now - snap.DaemonStartedAt)}"
            : $"[bold]{Markup.Escape(snap.Stack)}[/]: [yellow]daemon not running[/]; state as of {snap.At.ToLocalTime():HH:mm:ss}");
        DaemonWarningsView.Render(console, snap);
        foreach (var c in snap.Components)
        {
            console.MarkupLine($"  [bold]{Markup.Escape(c.Name)}[/] [grey]{c.Kind.Name()}[/] [{StateView.Color(c.Verdict)}]{c.State.Words()}[/] [grey]since {c.Since.ToLocalTime():HH:mm:ss}[/]{(c.Reason is { Length: > 0 } r ? $" - {Markup.Escape(r)}" : "")}");
            var details = new List<string> { $"run {c.Run}", $"restarts {c.Restarts}" };
            if (c.Pid is { } pid)
            {
                details.Add($"pid {pid}");
            }

            if (c.Health is { } health)
            {
                details.Add($"probe {health.Name()}{(c.ProbeFailures > 0 ? $" ×{c.ProbeFailures}" : "")}: {c.LastProbe}");
            }

            if (c.NextStartAt is { } next)
            {
                details.Add($"next start {next.ToLocalTime():HH:mm:ss} (back-off {c.BackoffSeconds:0.#}s)");
            }

            if (c.WaitingFor is { Length: > 0 } waiting)
            {
                details.Add($"waiting for {waiting}");
            }

            console.MarkupLine($"    [grey]{Markup.Escape(string.Join("; ", details))}[/]");
            if (c.Rounds is { } rounds)
            {
                console.MarkupLine($"    [grey]{Markup.Escape(RoundsSummary.Of(rounds, now))}[/]");
                console.MarkupLine($"    [grey]sentinel {Markup.Escape(rounds.SentinelPath)}: {(rounds.SentinelPresent ? "present" : "absent")}; stop file {Markup.Escape(rounds.StopFilePath)}: {(rounds.StopFilePresent ? "present" : "absent")}[/]");
            }
        }

        if (recent.Count > 0)
        {
            console.MarkupLine("[bold]recent events[/]");
            foreach (var e in recent)
            {
                console.MarkupLine($"  {e.Timestamp.ToLocalTime():HH:mm:ss.fff} {Markup.Escape(e.Component ?? "-"),-12} {Markup.Escape(EventNarration.Narrate(e))}");
            }
        }

        return ExitCodes.Ok;
    }
}
