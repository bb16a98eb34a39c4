using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Control;
using Tend.Daemon.Supervision;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend up [COMP...]</c>: starts the daemon if needed, then the components and what they
/// require in dependency order, and (unless --detach) shows progress until all are up or one
/// cannot come up, with why.
/// </summary>
internal static class UpVerb
{
    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Components to start (default: all), with what they require", Arity = ArgumentArity.ZeroOrMore };
        var detach = new Option<bool>("--detach", "-d") { Description = "Return at once; watch with tend status" };
        var timeout = new Option<string>("--timeout") { Description = "Give up waiting after this long (the stack keeps starting); default 10m, no limit for bounded rounds" };
        var once = new Option<bool>("--once") { Description = "Rounds components: run one round, then stop (same as --max-rounds 1)" };
        var maxRounds = new Option<int?>("--max-rounds") { Description = "Rounds components: stop after N rounds; tend up waits for them and exits 0" };
        var http = new Option<string>("--http") { Description = "Also serve the dashboard and HTTP API, on ADDR (default: [http] listen, else 127.0.0.1:7380)", Arity = ArgumentArity.ZeroOrOne, HelpName = "ADDR" };
        var command = new Command("up", "Start the stack in dependency order, health-gated, and wait until it is up") { components, detach, timeout, once, maxRounds, http };
        command.SetAction((parse, token) => RunAsync(
            new CliContext(parse, options),
            parse.GetValue(components) ?? [],
            parse.GetValue(detach),
            parse.GetValue(timeout),
            parse.GetValue(once) ? 1 : parse.GetValue(maxRounds),
            parse.GetResult(http) is null ? null : new HttpWish(parse.GetValue(http) is { Length: > 0 } address ? address : null),
            token));
        return command;
    }

    /// <summary>`--http [ADDR]` was given: listen on ADDR, or where the stack file says.</summary>
    private sealed record HttpWish(string? Listen);

    private static async Task<int> RunAsync(CliContext cli, string[] names, bool detach, string? timeoutText, int? maxRounds, HttpWish? http, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStack(names, out var stack, out var exitCode))
        {
            return exitCode;
        }

        if (maxRounds is < 1)
        {
            return cli.UsageError($"--max-rounds must be at least 1, not {maxRounds}");
        }

        var targets = names.Length == 0 ? stack.Components : [.. names.Select(n => stack.Find(n)!)];
        if (maxRounds is not null && !targets.Any(c => c.Kind == ComponentKind.Rounds))
        {
            return cli.UsageError($"--once and --max-rounds are for rounds components, and {(names.Length == 0 ? "the stack has none" : $"{string.Join(", ", names)} {(names.Length == 1 ? "is not one" : "are not")}")}");
        }

        // A bounded rounds session is a batch: the foreground waits for its end, however long.
        var bounded = targets.Any(c => c.Kind == ComponentKind.Rounds && (maxRounds ?? c.Rounds!.MaxRounds) is not null);
        var timeout = Timeout.InfiniteTimeSpan;
        if (timeoutText is not null || !bounded)
        {
            if (!Quantities.TryParseDuration(timeoutText ?? "10m", out timeout))
            {
                return cli.UsageError($"--timeout must be a duration such as 5m, not '{timeoutText}'");
            }
        }

        await using var connection = new DaemonConnection(stack);
        var began = cli.Time.GetUtcNow();
        if (await connection.EnsureRunningAsync(cli.Time, cancellationToken) is { } failure)
        {
            return cli.Failure(failure);
        }

        RecoveryReport.Render(cli.Terminal.Out, connection.Paths.Events, began);

        // Waits behind any change in progress and for the stop of edited components, each with its grace: no answer timeout.
        var reply = await connection.CallAsync(new UpRequest(names, stack.Path, maxRounds), cancellationToken, Timeout.InfiniteTimeSpan);
        if (reply?.Up is not { } up)
        {
            return reply?.Error is { } error ? cli.DaemonError(error) : cli.Failure("the daemon went away before it answered", $"see {connection.Paths.DaemonLog}");
        }

        var console = cli.Terminal.Out;
        foreach (var change in up.Changes)
        {
            console.MarkupLine($"[yellow]changed:[/] {Markup.Escape(change)}");
        }

        // The stack starts either way; a face that cannot listen (a taken port) makes the exit 1.
        var httpFailed = (http is not null || stack.Http is not null) && await DashboardVerb.ReportHttpAsync(cli, connection, http?.Listen, makeToken: false, cancellationToken) is null;
        if (detach)
        {
            console.MarkupLine($"[green]✓[/] starting {up.Order.Count} component{(up.Order.Count == 1 ? "" : "s")} in the background: {Markup.Escape(string.Join(", ", up.Order))}");
            console.MarkupLine("[grey]Watch:[/] tend status   [grey]Logs:[/] tend logs -f   [grey]Events:[/] tend events -f");
            return httpFailed ? ExitCodes.Failed : ExitCodes.Ok;
        }

        try
        {
            var watched = await WatchAsync(cli, stack, connection, up.Order, timeout, cancellationToken);
            return httpFailed && watched == ExitCodes.Ok ? ExitCodes.Failed : watched;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C stops watching, not the stack.
            console.MarkupLine("[grey]stopped watching; the stack goes on (tend status, tend down)[/]");
            return ExitCodes.Interrupted;
        }
    }

    private static async Task<int> WatchAsync(CliContext cli, StackFile stack, DaemonConnection connection, IReadOnlyList<string> order, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = cli.Time.GetTimestamp();
        var console = cli.Terminal.Out;
        var client = (await connection.ClientAsync(cancellationToken))!;
        var settled = await new Settling(console, order, (name, token) => CheckSession.ExplainHealthAsync(cli, stack, name, token)).WaitAsync(client, timeout, cancellationToken);
        var took = Quantities.FormatDuration(cli.Time.GetElapsedTime(started));
        console.WriteLine();
        if (settled.AllUp)
        {
            console.MarkupLine($"[green]✓[/] {order.Count} component{(order.Count == 1 ? "" : "s")} up in {took}");
            return ExitCodes.Ok;
        }

        if (settled.Lost is { } lost)
        {
            return cli.Failure(lost, $"see {connection.Paths.DaemonLog}");
        }

        if (settled.TimedOut)
        {
            Settling.ReportTimedOut(console, took, settled.Components);
            return ExitCodes.Failed;
        }

        Settling.ReportBad(console, settled.Bad);
        return ExitCodes.Failed;
    }
}
