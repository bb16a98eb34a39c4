using System.CommandLine;
using Spectre.Console;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Core.Updates;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend update COMP [--to V] [--dry-run]</c> and <c>tend update --all</c>: the daemon sets the
/// version, restarts, watches the health gate and keeps or rolls back; this prints what happens as
/// it happens (the component's events) and the verdict. Exit 0 when kept (or already there), 1
/// when rolled back or refused, 2 for bad input.
/// </summary>
internal static class UpdateVerb
{
    /// <summary>What is shown of the update while it runs: its steps, the restarts and what the gate watches.</summary>
    private static readonly IReadOnlyList<string> Progress =
    [
        .. EventKinds.Updates.All.Select(k => k.Name),
        EventKinds.ComponentStarted.Name, EventKinds.ComponentReady.Name, EventKinds.ComponentExited.Name, EventKinds.JobCompleted.Name,
        EventKinds.JobFailed.Name, EventKinds.HealthChanged.Name, EventKinds.LivenessFailed.Name, EventKinds.PreflightFailed.Name,
    ];

    public static Command Create(GlobalOptions options)
    {
        var component = new Argument<string?>("component") { Description = "The component to update", Arity = ArgumentArity.ZeroOrOne };
        var to = new Option<string?>("--to") { Description = "The version to move to (default: the newest its versions command lists)" };
        var all = new Option<bool>("--all") { Description = "Every component with an update, one at a time in dependency order, each to its newest version; stops at the first rollback" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing" };
        var command = new Command("update", "Move a component to another version: set it, restart, keep it only if it passes the health gate, else roll back") { component, to, all, dryRun };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var name = parse.GetValue(component);
            var version = parse.GetValue(to);
            var everything = parse.GetValue(all);
            if ((name is null) == !everything)
            {
                return cli.UsageError(everything ? "give a component or --all, not both" : "which component? give its name, or --all for every one with an update", "tend versions lists them");
            }

            if (everything && version is not null)
            {
                return cli.UsageError("--to names one version: give it with one component, not with --all");
            }

            if (version is not null && VersionText.Problem(version) is { } bad)
            {
                return cli.UsageError($"--to: {bad}");
            }

            if (!cli.TryLoadStack(name is null ? [] : [name], out var stack, out var exitCode))
            {
                return exitCode;
            }

            var targets = everything ? [.. new DependencyGraph(stack.Components).StartOrder().Where(c => c.Update is not null)] : new List<Component> { stack.Find(name!)! };
            if (targets.Count == 0)
            {
                return cli.UsageError($"no component of {stack.Name} has update = {{ set, current }}", "docs/operations.md shows how to write one");
            }

            if (targets.FirstOrDefault(c => c.Update is null) is { } without)
            {
                return cli.UsageError($"{without.Name} has no update = {{ set, current }}: tend does not know how to change its version", "docs/operations.md shows how to write one");
            }

            if (stack.Updates == UpdatesPolicy.Pinned)
            {
                return cli.Failure($"updates are pinned in {cli.Display(stack.Path)} ([stack] updates = \"pinned\"): the versions in tend.lock are the ones to run", $"to allow updates, remove updates = \"pinned\" from [stack] in {cli.Display(stack.Path)}");
            }

            if (parse.GetValue(dryRun))
            {
                var failed = false;
                foreach (var target in targets)
                {
                    failed |= !await PrintPlanAsync(cli, stack, target, version, token);
                }

                cli.Terminal.Out.MarkupLine("[grey]Nothing was changed (--dry-run).[/]");
                return failed ? ExitCodes.Failed : ExitCodes.Ok;
            }

            await using var connection = new DaemonConnection(stack);
            if (await connection.ClientAsync(token) is null)
            {
                return cli.Failure($"no daemon runs for {stack.Name}: an update restarts and watches a running component", "start the stack with `tend up`");
            }

            foreach (var target in targets)
            {
                if (everything && target.Update!.Versions is null)
                {
                    cli.Terminal.Out.MarkupLine($"[grey]-[/] {Markup.Escape(target.Name)}: skipped, no versions command to pick the newest from [grey](update it alone, giving its version with --to)[/]");
                    continue;
                }

                var code = await UpdateOneAsync(cli, connection, stack, target.Name, version, token);
                if (code != ExitCodes.Ok)
                {
                    if (everything && targets[^1] != target)
                    {
                        cli.Terminal.Out.MarkupLine($"[grey]Stopped at {Markup.Escape(target.Name)}: the components after it were not updated.[/]");
                    }

                    return code;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> UpdateOneAsync(CliContext cli, DaemonConnection connection, StackFile stack, string name, string? version, CancellationToken cancellationToken)
    {
        var console = cli.Terminal.Out;
        var client = (await connection.ClientAsync(cancellationToken))!;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ShowProgressAsync(console, client, name, watching.Token);
        var reply = await connection.CallAsync(new UpdateRequest(name, version, stack.Path), cancellationToken, Timeout.InfiniteTimeSpan);
        // The last events come on their own way, just before the answer: a moment to arrive.
        await Task.Delay(TimeSpan.FromMilliseconds(200), cli.Time, cancellationToken);
        await watching.CancelAsync();
        await progress;
        if (reply is null || reply.Error is { Code: "not_running" })
        {
            return cli.Failure($"the daemon of {stack.Name} went away during the update of {name}", $"the next one sets the old version back before it starts anything: tend up; its log is {cli.Display(connection.Paths.DaemonLog)}");
        }

        if (reply.Error is { } error)
        {
            return cli.DaemonError(error);
        }

        var result = reply.Update!;
        var took = Quantities.FormatDuration(TimeSpan.FromSeconds(result.Seconds));
        switch (result.Outcome)
        {
            case UpdateOutcomes.Unchanged:
                console.MarkupLine($"[green]✓[/] {Markup.Escape(name)} runs {Markup.Escape(result.To)} already; nothing to do");
                return ExitCodes.Ok;
            case UpdateOutcomes.Committed:
                console.MarkupLine($"[green]✓[/] {Markup.Escape(name)} updated {Markup.Escape(result.From)} → {Markup.Escape(result.To)} in {took}; tend.lock records it (commit it with the stack file)");
                foreach (var line in result.Evidence)
                {
                    console.MarkupLine($"  [grey]{Markup.Escape(line)}[/]");
                }

                return ExitCodes.Ok;
            case UpdateOutcomes.RolledBack:
                console.MarkupLine($"[red]✗[/] {Markup.Escape(name)}: {Markup.Escape(result.To)} was not kept: {Markup.Escape(result.Reason ?? "")}");
                console.MarkupLine($"  [yellow]rolled back[/] to {Markup.Escape(result.From)}, which passed the gate: {Markup.Escape(string.Join("; ", result.Evidence))}");
                console.MarkupLine($"  [grey]tend logs {Markup.Escape(name)} --runs lists its runs ({Markup.Escape(result.To)} ran in the one before the last); tend events --component {Markup.Escape(name)} tells the whole update[/]");
                return ExitCodes.Failed;
            default:
                console.MarkupLine($"[red]✗[/] {Markup.Escape(name)}: {Markup.Escape(result.To)} was not kept ({Markup.Escape(result.Reason ?? "")}), and the rollback to {Markup.Escape(result.From)} failed too: {Markup.Escape(string.Join("; ", result.Evidence))}");
                console.MarkupLine($"  [red]{Markup.Escape(name)} is stopped.[/] [grey]tend why {Markup.Escape(name)} says what to do[/]");
                return ExitCodes.Failed;
        }
    }

    private static Task ShowProgressAsync(IAnsiConsole console, Daemon.Control.ControlClient client, string name, CancellationToken cancellationToken) =>
        EventFollower.FollowAsync(client, Progress, [name], e => console.MarkupLine($"  [grey]{e.Timestamp.ToLocalTime():HH:mm:ss}[/] {Markup.Escape(EventNarration.Narrate(e))}"), cancellationToken);

    /// <summary>The plan, with the version in use read now; false when it cannot be read.</summary>
    private static async Task<bool> PrintPlanAsync(CliContext cli, StackFile stack, Component component, string? version, CancellationToken cancellationToken)
    {
        var console = cli.Terminal.Out;
        var spec = component.Update!;
        var commands = new VersionCommands(component, stack, cli.Time);
        var (current, read) = await commands.CurrentAsync(cancellationToken);
        if (current is null)
        {
            console.MarkupLine($"[red]✗[/] {Markup.Escape(component.Name)}: cannot tell which version it runs: its current command {Markup.Escape(read.Describe())}");
            return false;
        }

        if (version is null)
        {
            var (available, listed) = await commands.AvailableAsync(cancellationToken);
            if (available is not { Count: > 0 })
            {
                console.MarkupLine($"[yellow]-[/] {Markup.Escape(component.Name)} runs {Markup.Escape(current.Version)}; {(available is null && listed.Ok ? "no versions command to pick the newest from: give the version with --to" : $"its versions command {Markup.Escape(listed.Ok ? "listed nothing" : listed.Describe())}")}");
                return listed.Ok;
            }

            version = available[^1];
        }

        if (version == current.Version)
        {
            console.MarkupLine($"[green]✓[/] {Markup.Escape(component.Name)} runs {Markup.Escape(version)} already; nothing to do");
            return true;
        }

        var gate = component.Kind == ComponentKind.Job
            ? $"it must complete within {Quantities.FormatDuration(spec.Window)}"
            : component.Health is { } health
                ? $"{spec.Passes} passing health checks in a row ({health.Check.Title}) within {Quantities.FormatDuration(spec.Window)}, and no crash or failed check in that time"
                : $"no health check: it must come up and stay up for {Quantities.FormatDuration(spec.Window)}";
        console.MarkupLine($"[bold]{Markup.Escape(component.Name)}[/]: {Markup.Escape(current.Version)} → {Markup.Escape(version)}");
        console.MarkupLine($"  1. write the plan to {Markup.Escape(cli.Display(UpdateJournal.PathFor(stack.StateDirectory, component.Name)))}");
        console.MarkupLine($"  2. set {Markup.Escape(version)}: {Markup.Escape(string.Join(' ', spec.SetTo(version).Select(ShellWords.Quote)))}");
        console.MarkupLine($"  3. restart {Markup.Escape(component.Name)}");
        console.MarkupLine($"  4. gate: {Markup.Escape(gate)}");
        console.MarkupLine($"  5. passed: tend.lock records {Markup.Escape(component.Name)} = {Markup.Escape(version)}");
        console.MarkupLine($"     failed: set {Markup.Escape(current.Version)} back ({Markup.Escape(string.Join(' ', spec.SetTo(current.Version).Select(ShellWords.Quote)))}), restart, same gate; if that fails too, {Markup.Escape(component.Name)} is left stopped");
        return true;
    }
}
