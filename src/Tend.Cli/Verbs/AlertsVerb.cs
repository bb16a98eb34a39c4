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
        var test = new Command("test", "Send a test alert through every [[notify]] notifier now, one attempt each, and say how each went");
        test.SetAction((parse, token) => TestAsync(new CliContext(parse, options), token));
        command.Subcommands.Add(test);
        return command;
    }

    private static async Task<int> TestAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForControl() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        var notifiers = stack.Monitor.Notifiers;
        if (notifiers.Count == 0 && !cli.Json)
        {
            cli.Terminal.Out.MarkupLine($"[yellow]⚠[/] {Markup.Escape(stack.Path)} has no notifier: alerts are only events and `tend alerts`");
            cli.Terminal.Out.MarkupLine("  [cyan]→[/] add one, e.g. [[notify]] webhook = \"https://example.org/hook\" secret_env = \"TEND_WEBHOOK_SECRET\" (docs/monitor.md)");
            return ExitCodes.Failed;
        }

        var now = cli.Time.GetUtcNow();
        var alert = new AlertRecord("test", "host", null, Core.Model.AlertSeverity.Info, "a test alert from `tend alerts test`", null, now, null, 0, ["nothing is wrong: this checks that alerts reach you"], null);
        var body = AlertNotices.Body(alert, "test", stack.Name);
        await using var dispatcher = new Daemon.Monitoring.Notify.NotifyDispatcher(notifiers, Environment.GetEnvironmentVariable, cli.Time, _ => { }, stack.Directory);
        var reports = await dispatcher.SendTestAsync(new Daemon.Monitoring.Notify.AlertMessage(AlertNotices.Id(alert, "test"), Core.Model.AlertSeverity.Info, body), cancellationToken);
        var results = reports.Select(r => new NotifyTestResult(r.Notifier, r.Kind == Core.Model.NotifierKind.Webhook ? "webhook" : "exec", r.Succeeded, r.Reason)).ToList();
        if (cli.Json)
        {
            CliContext.WriteJson(new NotifyTestReport(results), MonitorJson.Default.NotifyTestReport);
        }
        else
        {
            foreach (var (result, spec) in results.Zip(notifiers, (r, n) => (r, n)))
            {
                var where = spec.Url is { } url ? Core.Events.Redactor.Redact(url) : string.Join(' ', spec.Argv!.Select(Core.Text.ShellWords.Quote));
                cli.Terminal.Out.MarkupLine(result.Delivered
                    ? $"[green]✓[/] {Markup.Escape(result.Notifier)} ({Markup.Escape(where)}): delivered [grey]{Markup.Escape(result.Reason)}[/]"
                    : $"[red]✗[/] {Markup.Escape(result.Notifier)} ({Markup.Escape(where)}): {Markup.Escape(result.Reason)}");
            }
        }

        return results.Count > 0 && results.All(r => r.Delivered) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForReading() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        var state = await StackState.ReadAsync(connection, cancellationToken);
        return Show(cli, state);
    }

    /// <summary>The alerts as `tend alerts` prints them, here or from another host (`--host`); exit 1 while one fires.</summary>
    public static int Show(CliContext cli, StackState state)
    {
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
