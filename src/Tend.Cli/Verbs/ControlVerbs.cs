using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Control;

namespace Tend.Cli.Verbs;

/// <summary><c>tend start|stop|restart|kill COMP...</c>: one verb each, sent to the daemon.</summary>
internal static class ControlVerbs
{
    public static Command Start(GlobalOptions options) => Create(options, "start", "Start components (again after a crash loop or a stop)", "started");

    public static Command Stop(GlobalOptions options) => Create(options, "stop", "Stop components: their signal, the grace period, then KILL to the whole group", "stopped");

    public static Command Restart(GlobalOptions options) => Create(options, "restart", "Stop, then start components", "restarted");

    public static Command Kill(GlobalOptions options)
    {
        var signal = new Option<string>("--signal", "-s") { Description = "The signal for the whole group (default KILL)", DefaultValueFactory = _ => "KILL" };
        var command = Create(options, "kill", "Signal a component's whole process group and stop supervising it", "killed", signal);
        return command;
    }

    private static Command Create(GlobalOptions options, string verb, string description, string done, Option<string>? signal = null)
    {
        var components = new Argument<string[]>("component") { Description = "The components", Arity = ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { components };
        if (signal is not null)
        {
            command.Options.Add(signal);
        }

        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var names = parse.GetValue(components) ?? [];
            if (!cli.TryLoadStack(names, out var stack, out var exitCode))
            {
                return exitCode;
            }

            int? number = null;
            if (signal is not null)
            {
                var name = parse.GetValue(signal)!.ToUpperInvariant().Replace("SIG", "", StringComparison.Ordinal);
                if (!StopPolicy.Signals.TryGetValue(name, out var n))
                {
                    return cli.UsageError($"unknown signal '{parse.GetValue(signal)}'", $"one of {string.Join(", ", StopPolicy.Signals.Keys)}");
                }

                number = n;
            }

            var connection = new DaemonConnection(stack);
            if (verb == "start" && await connection.EnsureRunningAsync(cli.Time, token) is { } failure)
            {
                return cli.UsageError(failure);
            }

            var response = await connection.SendAsync(new ControlRequest(verb, names, number), token);
            if (response is null)
            {
                return cli.UsageError($"no daemon runs for {stack.Name}", "start the stack with `tend up`");
            }

            if (!response.Ok)
            {
                return cli.UsageError(response.Error ?? "the daemon refused");
            }

            foreach (var snapshot in response.Snapshot!.Components.Where(c => names.Contains(c.Name)))
            {
                cli.Terminal.Out.MarkupLine($"[green]✓[/] {Markup.Escape(snapshot.Name)} {done}: now {Markup.Escape(snapshot.State.Name())}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
