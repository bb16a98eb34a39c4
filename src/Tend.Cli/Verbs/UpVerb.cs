using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
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
        var command = new Command("up", "Start the stack in dependency order, health-gated, and wait until it is up") { components, detach, timeout, once, maxRounds };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(components) ?? [], parse.GetValue(detach), parse.GetValue(timeout), parse.GetValue(once) ? 1 : parse.GetValue(maxRounds), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] names, bool detach, string? timeoutText, int? maxRounds, CancellationToken cancellationToken)
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

        var connection = new DaemonConnection(stack);
        if (await connection.EnsureRunningAsync(cli.Time, cancellationToken) is { } failure)
        {
            return cli.UsageError(failure);
        }

        var response = await connection.SendAsync(new ControlRequest("up", names, StackFile: stack.Path, MaxRounds: maxRounds), cancellationToken);
        if (response is not { Ok: true })
        {
            return cli.UsageError(response?.Error ?? "the daemon did not answer");
        }

        var console = cli.Terminal.Out;
        foreach (var change in response.Changes ?? [])
        {
            console.MarkupLine($"[yellow]changed:[/] {Markup.Escape(change)}");
        }

        var closure = response.Components ?? [];
        if (detach)
        {
            console.MarkupLine($"[green]✓[/] starting {closure.Count} component{(closure.Count == 1 ? "" : "s")} in the background: {Markup.Escape(string.Join(", ", closure))}");
            console.MarkupLine("[grey]Watch:[/] tend status   [grey]Logs:[/] tend logs COMPONENT   [grey]Events:[/] tend events -f");
            return ExitCodes.Ok;
        }

        return await WatchAsync(cli, connection, closure, timeout, cancellationToken);
    }

    private static async Task<int> WatchAsync(CliContext cli, DaemonConnection connection, IReadOnlyList<string> closure, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await WatchUntilSettledAsync(cli, connection, closure, timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C stops watching, not the stack.
            cli.Terminal.Out.MarkupLine("[grey]stopped watching; the stack goes on (tend status, tend down)[/]");
            return ExitCodes.Interrupted;
        }
    }

    private static async Task<int> WatchUntilSettledAsync(CliContext cli, DaemonConnection connection, IReadOnlyList<string> closure, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = cli.Time.GetTimestamp();
        var console = cli.Terminal.Out;
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        List<ComponentSnapshot> mine;
        while (true)
        {
            var last = (await connection.SendAsync(new ControlRequest("status"), cancellationToken))?.Snapshot;
            if (last is null)
            {
                return cli.UsageError("the daemon stopped answering", $"see {connection.Paths.DaemonLog}");
            }

            mine = [.. last.Components.Where(c => closure.Contains(c.Name))];
            foreach (var component in mine)
            {
                var line = Describe(component);
                if (!printed.TryGetValue(component.Name, out var before) || before != line)
                {
                    printed[component.Name] = line;
                    console.MarkupLine($"  {StateView.Mark(component.Verdict)} {Markup.Escape(component.Name.PadRight(closure.Max(n => n.Length)))}  {Markup.Escape(line)}");
                }
            }

            if (mine.Any(c => c.Verdict.IsBad) || mine.All(c => c.Verdict.IsUp) || (timeout != Timeout.InfiniteTimeSpan && cli.Time.GetElapsedTime(started) > timeout))
            {
                break;
            }

            // Fast while things start; a bounded rounds session may run for hours.
            var elapsed = cli.Time.GetElapsedTime(started);
            await Task.Delay(TimeSpan.FromMilliseconds(elapsed < TimeSpan.FromSeconds(10) ? 10 : 250), cli.Time, cancellationToken);
        }

        var took = Quantities.FormatDuration(cli.Time.GetElapsedTime(started));
        console.WriteLine();
        if (mine.All(c => c.Verdict.IsUp))
        {
            console.MarkupLine($"[green]✓[/] {closure.Count} component{(closure.Count == 1 ? "" : "s")} up in {took}");
            return ExitCodes.Ok;
        }

        var bad = mine.Where(c => c.Verdict.IsBad).ToList();
        if (bad.Count == 0)
        {
            console.MarkupLine($"[yellow]⚠[/] not up after {took}; still starting in the background (tend status, tend why COMPONENT)");
            return ExitCodes.Failed;
        }

        foreach (var broken in bad)
        {
            console.MarkupLine($"[red]✗[/] [bold]{Markup.Escape(broken.Name)}[/] is {Markup.Escape(broken.State.Name())}: {Markup.Escape(broken.Verdict.Reason)}");
            console.MarkupLine($"    [grey]why:[/] tend why {Markup.Escape(broken.Name)}   [grey]logs:[/] tend logs {Markup.Escape(broken.Name)}");
        }

        return ExitCodes.Failed;
    }

    /// <summary>One progress line: the verdict's reason, with a rounds session's count.</summary>
    private static string Describe(ComponentSnapshot c) => c.Rounds is { } rounds && c.State == ComponentState.Running
        ? $"round {rounds.Round}{(rounds.Phase is { } phase ? $" ({phase})" : "")}{(rounds.MaxRounds is { } max ? $", {rounds.SessionRounds} of {max}" : "")} (pid {c.Pid})"
        : c.Verdict.IsUp && c.State != ComponentState.Completed ? c.Verdict.Reason
        : c.Reason is { Length: > 0 } reason ? $"{c.State.Name()}: {reason}" : c.State.Name();
}
