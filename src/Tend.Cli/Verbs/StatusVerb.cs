using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control;
using Tend.Daemon.Supervision;

namespace Tend.Cli.Verbs;

/// <summary><c>tend status</c>: one line a component; answers from state.json when the daemon is gone.</summary>
internal static class StatusVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("status", "One line a component: kind, state, PID, uptime, restarts, last exit");
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
        if (state.Problem is { } problem)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(problem)}");
        }
        if (cli.Json)
        {
            var snapshot = state.Snapshot ?? new StackSnapshot(stack.Name, stack.Path, 0, 0, default, cli.Time.GetUtcNow(), []);
            Console.Out.WriteLine(JsonSerializer.Serialize(snapshot, StatusJson.Default.StackSnapshot));
            return state.Problem is null ? ExitCodes.Ok : ExitCodes.Failed;
        }

        var console = cli.Terminal.Out;
        if (state.Snapshot is not { } snap)
        {
            console.MarkupLine($"[grey]{Markup.Escape(stack.Name)}: nothing has run yet (start it with tend up)[/]");
            return state.Problem is null ? ExitCodes.Ok : ExitCodes.Failed;
        }

        if (state.Problem is not null)
        {
            console.MarkupLine($"[yellow]⚠ the daemon did not answer;[/] last known state from {snap.At.ToLocalTime():HH:mm:ss}");
        }
        else if (!state.Live)
        {
            console.MarkupLine($"[yellow]⚠ the daemon is not running;[/] last known state from {snap.At.ToLocalTime():HH:mm:ss} [grey](tend up starts the stack again)[/]");
            if (state.Orphans.Count > 0)
            {
                console.MarkupLine($"[red]✗ unsupervised:[/] {Markup.Escape(string.Join(", ", state.Orphans))}: tend up stops and restarts them under a new daemon");
            }
        }

        DaemonWarningsView.Render(console, snap);
        if (snap.Stops is { } stops)
        {
            console.MarkupLine($"[grey]stops: {Markup.Escape(stops.Words())}[/]");
        }

        var now = cli.Time.GetUtcNow();
        var width = Math.Max(4, snap.Components.Max(c => c.Name.Length));
        // 80 columns with names up to 15 characters: the probe's own word is in the state (healthy, unhealthy); peek and why have its detail.
        console.MarkupLine($"[grey]{"NAME".PadRight(width)}  {"KIND",-8}  {"STATE",-14}  {"PID",7}  {"UPTIME",7}  {"RESTARTS",8}  LAST EXIT[/]");
        foreach (var c in snap.Components)
        {
            var uptime = c.Pid is not null && c.StartedAt is { } at ? Quantities.FormatDuration(now - at) : "-";
            var lastExit = c.LastSignal is { } signal ? $"signal {signal}" : c.LastExitCode is { } code ? $"exit {code}" : "-";
            var color = StateView.Color(c.Verdict);
            console.MarkupLine($"{Markup.Escape(c.Name.PadRight(width))}  {c.Kind.Name(),-8}  [{color}]{c.State.Words(),-14}[/]  {c.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",7}  {uptime,7}  {c.Restarts,8}  {Markup.Escape(lastExit)}");
            if (c.Rounds is { } rounds)
            {
                console.MarkupLine($"{new string(' ', width)}  [grey]↳ {Markup.Escape(RoundsSummary.Of(rounds, now))}[/]");
            }
        }

        return state.Problem is null ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
