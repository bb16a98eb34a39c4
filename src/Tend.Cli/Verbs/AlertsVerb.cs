using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Monitoring;

namespace Tend.Cli.Verbs;

/// <summary><c>tend alerts</c>: firing and recent alerts, from the daemon or the state it left. Exit 1 while one fires, for scripts and cron.</summary>
internal static class AlertsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("alerts", "Firing and recently resolved monitor alerts, with their facts and what to do; exit 1 while one fires");
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForReading() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        var state = await StackState.ReadAsync(connection, cancellationToken);
        var alerts = state.Snapshot?.Alerts ?? [];
        var firing = alerts.Where(a => a.ResolvedAt is null).ToList();
        var recent = alerts.Where(a => a.ResolvedAt is not null).ToList();
        var exit = firing.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        if (cli.Json)
        {
            CliContext.WriteJson(new AlertsReport(state.Live, firing, recent), MonitorJson.Default.AlertsReport);
            return exit;
        }

        var console = cli.Terminal.Out;
        if (state.Problem is { } problem)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(problem)}");
        }
        else if (!state.Live)
        {
            console.MarkupLine(state.Snapshot is null
                ? "[grey]nothing has run yet: the monitor watches once the stack is up (tend up)[/]"
                : $"[yellow]⚠ the daemon is not running;[/] alerts as it left them at {state.Snapshot.At.ToLocalTime():HH:mm:ss} [grey](tend up starts it again)[/]");
        }

        AlertsView.Render(console, firing, recent, cli.Time.GetUtcNow());
        return exit;
    }
}
