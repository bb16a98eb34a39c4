using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
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

        return await WatchAsync(cli, stack, connection, closure, timeout, cancellationToken);
    }

    private static async Task<int> WatchAsync(CliContext cli, StackFile stack, DaemonConnection connection, IReadOnlyList<string> closure, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await WatchUntilSettledAsync(cli, stack, connection, closure, timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C stops watching, not the stack.
            cli.Terminal.Out.MarkupLine("[grey]stopped watching; the stack goes on (tend status, tend down)[/]");
            return ExitCodes.Interrupted;
        }
    }

    private static async Task<int> WatchUntilSettledAsync(CliContext cli, StackFile stack, DaemonConnection connection, IReadOnlyList<string> closure, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = cli.Time.GetTimestamp();
        var console = cli.Terminal.Out;
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        DaemonSnapshot? last = null;
        Verdict verdict;
        while (true)
        {
            last = (await connection.SendAsync(new ControlRequest("status"), cancellationToken))?.Snapshot;
            if (last is null)
            {
                return cli.UsageError("the daemon stopped answering", $"see {connection.Paths.DaemonLog}");
            }

            var mine = last.Components.Where(c => closure.Contains(c.Name)).ToList();
            foreach (var component in mine)
            {
                // Not started yet, about to be: nothing to say.
                if (component.State == "stopped" && !printed.ContainsKey(component.Name))
                {
                    continue;
                }

                var line = Describe(component);
                if (!printed.TryGetValue(component.Name, out var before) || before != line)
                {
                    printed[component.Name] = line;
                    console.MarkupLine($"  {Mark(component, stack)} {Markup.Escape(component.Name.PadRight(closure.Max(n => n.Length)))}  {Markup.Escape(line)}");
                }
            }

            verdict = Judge(mine, stack);
            if (verdict != Verdict.Pending || (timeout != Timeout.InfiniteTimeSpan && cli.Time.GetElapsedTime(started) > timeout))
            {
                break;
            }

            // Fast while things start; a bounded rounds session may run for hours.
            var elapsed = cli.Time.GetElapsedTime(started);
            await Task.Delay(TimeSpan.FromMilliseconds(elapsed < TimeSpan.FromSeconds(10) ? 10 : 250), cli.Time, cancellationToken);
        }

        var took = Quantities.FormatDuration(cli.Time.GetElapsedTime(started));
        console.WriteLine();
        switch (verdict)
        {
            case Verdict.Up:
                console.MarkupLine($"[green]✓[/] {closure.Count} component{(closure.Count == 1 ? "" : "s")} up in {took}");
                return ExitCodes.Ok;
            case Verdict.Failed:
                foreach (var broken in last.Components.Where(c => closure.Contains(c.Name) && IsFailed(c)))
                {
                    console.MarkupLine($"[red]✗[/] [bold]{Markup.Escape(broken.Name)}[/] is {Markup.Escape(broken.State)}: {Markup.Escape(broken.Reason ?? "")}");
                    console.MarkupLine($"    [grey]why:[/] tend why {Markup.Escape(broken.Name)}   [grey]logs:[/] tend logs {Markup.Escape(broken.Name)}");
                }

                return ExitCodes.Failed;
            default:
                console.MarkupLine($"[yellow]⚠[/] not up after {took}; still starting in the background (tend status, tend why COMPONENT)");
                return ExitCodes.Failed;
        }
    }

    private enum Verdict
    {
        Pending,
        Up,
        Failed,
    }

    private static Verdict Judge(IReadOnlyList<ComponentSnapshot> components, StackFile stack)
    {
        if (components.Any(IsFailed))
        {
            return Verdict.Failed;
        }

        return components.All(c => IsUp(c, stack.Find(c.Name)!)) ? Verdict.Up : Verdict.Pending;
    }

    /// <summary>Up means: a job (or a bounded rounds session) completed; rounds underway; anything with a probe healthy; anything else running.</summary>
    public static bool IsUp(ComponentSnapshot snapshot, Component component) => component switch
    {
        { Kind: ComponentKind.Job } => snapshot.State == "completed",
        { Kind: ComponentKind.Rounds } when snapshot.Rounds?.MaxRounds is not null => snapshot.State == "completed",
        { Kind: ComponentKind.Rounds } => snapshot.State is "running" or "between_rounds" or "throttled" or "completed",
        { Health: not null } => snapshot.State == "healthy",
        _ => snapshot.State is "running" or "healthy",
    };

    private static bool IsFailed(ComponentSnapshot snapshot) =>
        snapshot.State is "failed" or "crash_loop" or "config_broken" or "exited"
        || (snapshot.State == "stopped" && snapshot.Rounds?.MaxRounds is not null)
        || (snapshot.State == "waiting" && snapshot.WaitingFor?.Contains("; it is ", StringComparison.Ordinal) == true);

    private static string Mark(ComponentSnapshot snapshot, StackFile stack) =>
        IsFailed(snapshot) ? "[red]✗[/]" : IsUp(snapshot, stack.Find(snapshot.Name)!) ? "[green]✓[/]" : "[grey]…[/]";

    private static string Describe(ComponentSnapshot c) => c.State switch
    {
        "waiting" => $"waiting for {c.WaitingFor}",
        "backoff" => $"backoff: {c.Reason}",
        "running" when c.Rounds is { } rounds => $"round {rounds.Round}{(rounds.Phase is { } phase ? $" ({phase})" : "")}{(rounds.MaxRounds is { } max ? $", {rounds.SessionRounds} of {max}" : "")} (pid {c.Pid})",
        "running" or "starting" => c.Pid is { } pid ? $"{c.State} (pid {pid})" : c.State,
        _ => c.Reason is { Length: > 0 } reason ? $"{c.State}: {reason}" : c.State,
    };
}
