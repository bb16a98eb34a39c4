using System.CommandLine;
using Spectre.Console;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Control;

namespace Tend.Cli.Verbs;

/// <summary><c>tend down [COMP...]</c>: stops in reverse dependency order; returns when nothing of them is left.</summary>
internal static class DownVerb
{
    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Components to stop (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("down", "Stop the stack in reverse dependency order; the daemon keeps running") { components };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var names = parse.GetValue(components) ?? [];
            if (!cli.TryLoadStackForControl(names, out var stack, out var exitCode))
            {
                return exitCode;
            }

            var started = cli.Time.GetTimestamp();
            await using var connection = new DaemonConnection(stack);
            var response = await connection.CallAsync(new DownRequest(names), token, Timeout.InfiniteTimeSpan);
            if (response is null)
            {
                cli.Terminal.Out.MarkupLine($"[grey]no daemon runs for {Markup.Escape(stack.Name)}: nothing to stop[/]");
                return ExitCodes.Ok;
            }

            if (response.Error is { } error)
            {
                return cli.DaemonError(error);
            }

            var stopped = response.Action!.Components;
            cli.Terminal.Out.MarkupLine($"[green]✓[/] stopped {stopped.Count} component{(stopped.Count == 1 ? "" : "s")} in {Quantities.FormatDuration(cli.Time.GetElapsedTime(started))}; no process of theirs is left");
            return ExitCodes.Ok;
        });
        return command;
    }
}
