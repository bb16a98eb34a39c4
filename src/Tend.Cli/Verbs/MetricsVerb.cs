using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Metrics;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend metrics</c>: the running daemon's Prometheus exposition, the same text GET /metrics
/// serves, without HTTP (for node_exporter's textfile collector, a cron job, a look by hand).
/// <c>tend metrics rules</c>: the stack's monitor rules as Prometheus alerting rules, from the
/// stack file alone.
/// </summary>
internal static class MetricsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("metrics", "The stack now in Prometheus' text format (what GET /metrics serves), from the running daemon");
        command.SetAction((parse, token) => PrintAsync(new CliContext(parse, options), token));
        var output = new Option<string>("--out", "-o") { Description = "Write the rules to FILE (atomically) instead of stdout", HelpName = "FILE" };
        var rules = new Command("rules", "Prometheus alerting rules (YAML) equivalent to the stack's monitor rules, from the stack file") { output };
        rules.SetAction(parse => WriteRules(new CliContext(parse, options), parse.GetValue(output)));
        command.Subcommands.Add(rules);
        return command;
    }

    private static async Task<int> PrintAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForReading() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        var reply = await connection.CallAsync(new MetricsRequest(), cancellationToken);
        if (reply is null)
        {
            // Numbers of a daemon that is gone would be stale counters passed off as live ones.
            return cli.Failure($"no daemon runs for {cli.Display(stack.Path)}: the metrics are the running daemon's", "start the stack with `tend up`; `tend status` shows the state it left");
        }

        if (reply.Error is { } error)
        {
            return error.Code == "malformed" && error.Message.Contains("unknown verb", StringComparison.Ordinal)
                ? cli.Failure("the daemon is of an older tend, which has no metrics", "restart it with this one: `tend daemon stop`, then `tend up`")
                : cli.DaemonError(error);
        }

        StandardOutput.Write(reply.Metrics ?? "");
        return ExitCodes.Ok;
    }

    private static int WriteRules(CliContext cli, string? path)
    {
        if (cli.LoadStack() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        var rules = AlertRulesFile.Write(stack);
        if (path is null)
        {
            StandardOutput.Write(rules.Yaml);
            return ExitCodes.Ok;
        }

        var full = Path.GetFullPath(path, cli.WorkingDirectory);
        try
        {
            Core.Persistence.AtomicFile.WriteAllText(full, rules.Yaml);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cli.Failure($"cannot write {cli.Display(full)}: {Core.Text.IoErrorText.Of(e)}");
        }

        var comments = rules.WithoutEquivalent + rules.Disabled;
        var commented = comments == 0 ? "" : $"; {comments} monitor rule{(comments == 1 ? "" : "s")} as comments saying why";
        cli.Terminal.Out.MarkupLine($"[green]✓[/] wrote {rules.Alerts} alerting rule{(rules.Alerts == 1 ? "" : "s")} to {Markup.Escape(cli.Display(full))}{Markup.Escape(commented)} [grey](promtool check rules {Markup.Escape(Core.Text.ShellWords.Quote(cli.Display(full)))} checks them)[/]");
        return ExitCodes.Ok;
    }
}
