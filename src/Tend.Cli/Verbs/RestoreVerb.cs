using System.CommandLine;
using Spectre.Console;
using Tend.Core.Backup;
using Tend.Core.Model;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend restore COMP --from ID [--yes]</c>: every checksum first (a corrupted backup is refused
/// and nothing is touched), a confirmation, then what depends on the component is stopped (and
/// the component itself when its data is files its server holds), the data put back, and what
/// was stopped started again.
/// </summary>
internal static class RestoreVerb
{
    public static Command Create(GlobalOptions options)
    {
        var component = new Argument<string>("component") { Description = "The component to restore" };
        var from = new Option<string>("--from") { Description = "The backup's id (tend backup --list)", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when not on a terminal)" };
        var command = new Command("restore", "Restore a component from a backup, after checking its checksums") { component, from, yes };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var name = parse.GetValue(component)!;
            if (!cli.TryLoadStack([name], out var stack, out var exitCode))
            {
                return exitCode;
            }

            var target = stack.Find(name)!;
            var store = new BackupStore(stack.BackupDirectory);
            var id = parse.GetValue(from)!;
            if (store.Find(name, id) is not { } backup)
            {
                var ids = store.List(name).Select(b => b.Id).ToList();
                return cli.UsageError($"{name} has no backup {id} in {cli.Display(store.DirectoryOf(name))}", ids.Count == 0 ? $"take one: tend backup {name}" : $"its backups: {string.Join(", ", ids.TakeLast(5))} (tend backup --list)");
            }

            var console = cli.Terminal.Out;
            if (await RestorePlan.VerifyAsync(backup, token) is { } corrupted)
            {
                BackupView.Problem(cli.Terminal.Err, name, corrupted);
                return ExitCodes.Failed;
            }

            console.MarkupLine($"[green]✓[/] backup {Markup.Escape(id)} of {Markup.Escape(name)}: {backup.Manifest.Artifacts.Count} artifacts match their sha256");
            var tools = new BackupTools(stack.Directory, Environment.GetEnvironmentVariable, cli.Time);
            var prepared = await RestorePlan.PrepareAsync(target, backup, tools, token);
            if (prepared.Value is not { } plan)
            {
                BackupView.Problem(cli.Terminal.Err, name, prepared.Problem! with { Cause = $"{prepared.Problem!.Cause}; nothing was changed" });
                return ExitCodes.Failed;
            }

            if (plan.NeedsComponentStopped && target.Kind == ComponentKind.External)
            {
                BackupView.Problem(cli.Terminal.Err, name, new BackupProblem(
                    $"cannot restore {name}: its server must be stopped for it, and tend does not run it (kind = \"external\")",
                    "nothing was changed",
                    $"stop it where it runs, put the artifacts of {cli.Display(backup.Directory)} back by hand (docs/operations.md says how for each type), and start it"));
                return ExitCodes.Failed;
            }

            var dependents = DaemonPause.Dependents(stack, name);
            var stops = plan.NeedsComponentStopped ? [.. dependents, name] : dependents;
            if (!parse.GetValue(yes) && Confirm(cli, name, id, plan, stops) is { } refused)
            {
                return refused;
            }

            await using var connection = new DaemonConnection(stack);
            var pause = new DaemonPause(cli, connection, stack, name, plan.NeedsComponentStopped);
            if (await pause.StopAsync(token) is { } notStopped)
            {
                BackupView.Problem(cli.Terminal.Err, name, notStopped with { Cause = $"{notStopped.Cause}; nothing was restored" });
                return ExitCodes.Failed;
            }

            BackupProblem? failure;
            try
            {
                failure = await plan.ApplyAsync(step => console.MarkupLine($"  [grey]{Markup.Escape(step)}[/]"), token);
            }
            finally
            {
                if (await pause.ResumeAsync(CancellationToken.None) is { } notStarted)
                {
                    BackupView.Problem(cli.Terminal.Err, name, notStarted);
                }
            }

            if (failure is not null)
            {
                BackupView.Problem(cli.Terminal.Err, name, failure);
                return ExitCodes.Failed;
            }

            console.MarkupLine($"[green]✓[/] {Markup.Escape(name)} restored from backup {Markup.Escape(id)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Asks on a terminal; refuses to guess when there is none (exit 2, with the flag to give).</summary>
    private static int? Confirm(CliContext cli, string name, string id, RestorePlan plan, IReadOnlyList<string> stops)
    {
        if (Console.IsInputRedirected)
        {
            return cli.UsageError($"restoring {name} replaces its data, and there is no terminal to confirm it on", $"add --yes: tend restore {name} --from {id} --yes");
        }

        var console = cli.Terminal.Out;
        console.MarkupLine($"Restore [bold]{Markup.Escape(name)}[/] from backup [bold]{Markup.Escape(id)}[/]:");
        foreach (var step in plan.Steps)
        {
            console.MarkupLine($"  - {Markup.Escape(step.Description)}");
        }

        if (stops.Count > 0)
        {
            console.MarkupLine($"  - stopping {Markup.Escape(string.Join(", ", stops))} meanwhile (those running), and starting them again");
        }

        console.Markup("Its current data is replaced. Go on? [[y/N]] ");
        var answer = Console.ReadLine()?.Trim();
        if (answer is "y" or "Y" or "yes")
        {
            return null;
        }

        console.MarkupLine("[grey]nothing was changed[/]");
        return ExitCodes.Failed;
    }
}
