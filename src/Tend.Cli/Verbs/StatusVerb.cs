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
        var command = new Command("status", "One line a component: state, PID, uptime, CPU and memory of the run, restarts, last exit");
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

        // The stand-in of an unchanged file knows only where the state is: the file says the stack's name.
        return Show(cli, state, stack.Name, stack.Path, () => stack.Components.Count == 0 ? cli.LoadStackForControl()?.Name ?? stack.Name : stack.Name);
    }

    /// <summary>The state as `tend status` prints it, here or from another host (`--host`); the exit code.</summary>
    /// <param name="nameWhenNothingRan">The stack's name for "nothing has run yet", asked only then.</param>
    public static int Show(CliContext cli, StackState state, string stackName, string stackPath, Func<string> nameWhenNothingRan)
    {
        if (state.Problem is { } problem)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(problem)}");
        }
        if (cli.Json)
        {
            var snapshot = state.Snapshot ?? new StackSnapshot(stackName, stackPath, 0, 0, default, cli.Time.GetUtcNow(), []);
            CliContext.WriteJson(snapshot, StatusJson.Default.StackSnapshot);
            return state.Problem is null ? ExitCodes.Ok : ExitCodes.Failed;
        }

        var console = cli.Terminal.Out;
        if (state.Snapshot is not { } snap)
        {
            var name = nameWhenNothingRan();
            console.MarkupLine($"[grey]{Markup.Escape(name)}: nothing has run yet (start it with tend up)[/]");
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

        if (state.Live)
        {
            SystemdLine.Render(console, snap);
        }

        DaemonWarningsView.Render(console, snap);
        if (snap.Stops is { } stops)
        {
            console.MarkupLine($"[grey]stops: {Markup.Escape(stops.Words())}[/]");
        }

        StatusTable.Render(cli.Terminal, snap.Components, cli.Time.GetUtcNow());
        if (snap.Alerts?.Where(a => a.ResolvedAt is null).ToList() is { Count: > 0 } firing)
        {
            var worst = firing.Max(a => a.Severity);
            var color = worst == Core.Model.AlertSeverity.Critical ? "red" : worst == Core.Model.AlertSeverity.Warning ? "yellow" : "blue";
            var names = string.Join(", ", firing.Select(a => a.Subject == a.Component || a.Component is null ? $"{a.Rule} on {a.Subject}" : a.Rule));
            console.MarkupLine($"[{color}]{firing.Count} alert{(firing.Count == 1 ? "" : "s")} firing[/]: {Markup.Escape(names)} [grey](tend alerts tells more)[/]");
        }

        return state.Problem is null ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
