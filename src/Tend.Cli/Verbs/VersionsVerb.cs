using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Updates;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend versions [COMP...]</c>: for each component with an update, the version it runs (its
/// current command, run now), the one tend.lock records, and the ones on offer (its versions
/// command). A component that runs another version than the lock says is pointed out. Needs no
/// daemon. Exit 1 when a command failed or tend.lock does not read.
/// </summary>
internal static class VersionsVerb
{
    private const int Shown = 3;

    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Only these components", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("versions", "The versions of the components with an update: in use, in tend.lock, on offer") { components };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var names = parse.GetValue(components) ?? [];
            if (!cli.TryLoadStack(names, out var stack, out var exitCode))
            {
                return exitCode;
            }

            var (lockFile, problems) = LockFile.Read(stack.LockPath);
            if (lockFile is null)
            {
                return cli.Fail("failure", $"{cli.Display(stack.LockPath)} does not read", problems, "tend update rewrites it; fix or remove the lines shown", ExitCodes.Failed);
            }

            var targets = stack.Components.Where(c => c.Update is not null && (names.Length == 0 || names.Contains(c.Name))).ToList();
            if (names.FirstOrDefault(n => stack.Find(n)?.Update is null) is { } without)
            {
                return cli.UsageError($"{without} has no update = {{ set, current }}", "docs/operations.md shows how to write one");
            }

            var rows = await Task.WhenAll(targets.Select(c => ReadAsync(c, stack, lockFile, cli.Time, token)));
            var report = new VersionsReport(VersionsReport.CurrentSchema, stack.Name, stack.Updates == UpdatesPolicy.Pinned, rows);
            if (cli.Json)
            {
                CliContext.WriteJson(report, UpdateJson.Default.VersionsReport);
            }
            else
            {
                Print(cli, report);
            }

            return rows.Any(r => r.Error is not null) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<ComponentVersions> ReadAsync(Component component, StackFile stack, LockFile lockFile, TimeProvider time, CancellationToken cancellationToken)
    {
        var commands = new VersionCommands(component, stack, time);
        var currentTask = commands.CurrentAsync(cancellationToken);
        var availableTask = commands.AvailableAsync(cancellationToken);
        var (current, read) = await currentTask;
        var (available, listed) = await availableTask;
        var locked = lockFile.Of(component.Name);
        var error = current is null ? $"current: {read.Describe()}" : !listed.Ok ? $"versions: {listed.Describe()}" : null;
        return new ComponentVersions(component.Name, current?.Version, current?.Digest, locked?.Version, locked?.Digest, available, current is not null && locked is not null && locked.Version != current.Version, error);
    }

    private static void Print(CliContext cli, VersionsReport report)
    {
        var console = cli.Terminal.Out;
        if (report.Components.Count == 0)
        {
            console.MarkupLine($"No component of {Markup.Escape(report.Stack)} has update = {{ set, current }} [grey](docs/operations.md)[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("COMPONENT", "CURRENT", "LOCKED", "AVAILABLE", "NOTE");
        foreach (var row in report.Components)
        {
            var available = row.Available is null ? "[grey]-[/]" : row.Available.Count == 0 ? "[grey]none listed[/]"
                : Markup.Escape(string.Join(", ", row.Available.TakeLast(Shown))) + (row.Available.Count > Shown ? $" [grey](+{row.Available.Count - Shown} older)[/]" : "");
            var note = row.Error is { } error ? $"[red]{Markup.Escape(error)}[/]"
                : row.Drift ? $"[yellow]runs {Markup.Escape(row.Current!)}, tend.lock says {Markup.Escape(row.Locked!)}[/] [grey](tend update {Markup.Escape(row.Name)} --to {Markup.Escape(row.Locked!)})[/]"
                : row.Available is { Count: > 0 } list && row.Current is { } current && list[^1] != current && !report.Pinned ? $"newer: {Markup.Escape(list[^1])} [grey](tend update {Markup.Escape(row.Name)})[/]"
                : "";
            table.AddRow(Markup.Escape(row.Name), row.Current is null ? "[red]?[/]" : Markup.Escape(row.Current), row.Locked is null ? "[grey]-[/]" : Markup.Escape(row.Locked), available, note);
        }

        console.Write(table);
        if (report.Pinned)
        {
            console.MarkupLine("[grey]Updates are pinned ([[stack]] updates = \"pinned\"): tend update refuses to change them.[/]");
        }
    }
}
