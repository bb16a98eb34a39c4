using System.CommandLine;
using Spectre.Console;
using Tend.Core.Backup;
using Tend.Core.Model;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend backup [COMP...]</c>: a verified backup of each component's sources plus the stack's
/// config (docs/operations.md); <c>--list</c> shows them; <c>--config</c> backs up the
/// config alone. Exit 1 when any backup failed, with what and why; nothing of it is left.
/// </summary>
internal static class BackupVerb
{
    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Components to back up (default: every one with backup sources)", Arity = ArgumentArity.ZeroOrMore };
        var list = new Option<bool>("--list") { Description = "List the backups (of the components given, or all) instead of taking one" };
        var configOnly = new Option<bool>("--config") { Description = "Back up the stack's own config alone (stack file, tend.lock, env and config files)" };
        var command = new Command("backup", "Back up components (PostgreSQL, Redis, etcd, files) and the stack's config, verified, with a checksum manifest") { components, list, configOnly };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var names = parse.GetValue(components) ?? [];
            if (!cli.TryLoadStack(names, out var stack, out var exitCode))
            {
                return exitCode;
            }

            var store = new BackupStore(stack.BackupDirectory);
            if (parse.GetValue(list))
            {
                return ListBackups(cli, store, names);
            }

            if (cli.Json)
            {
                return cli.UsageError("tend backup has JSON output only with --list", "tend backup --list --json");
            }

            var tools = new BackupTools(stack.Directory, Environment.GetEnvironmentVariable, cli.Time);
            var writer = new BackupWriter(store, tools);
            var config = ConfigSource.Of(stack);
            if (parse.GetValue(configOnly))
            {
                var outcome = await writer.WriteAsync(stack.Name, BackupStore.StackConfig, [config], null, null, token);
                return Report(cli, store, BackupStore.StackConfig, outcome);
            }

            var targets = names.Length > 0 ? [.. names.Select(n => stack.Find(n)!)] : stack.Components.Where(c => !c.Backup.IsEmpty).ToList();
            if (targets.Count == 0)
            {
                return cli.UsageError($"no component of {stack.Name} has backup sources", "add backup = [...] to a component (docs/stack-file.md), or back up the stack's config alone: tend backup --config");
            }

            if (targets.FirstOrDefault(c => c.Backup.IsEmpty) is { } bare)
            {
                return cli.UsageError($"components.{bare.Name} has no backup sources", $"add backup = [{{ type = \"files\", paths = [\"...\"] }}] to [components.{bare.Name}] (docs/stack-file.md)");
            }

            await using var connection = new DaemonConnection(stack);
            var failed = 0;
            foreach (var component in targets)
            {
                var pause = component.Backup.Sources.Any(s => s.SaveNeedsStopped) ? new DaemonPause(cli, connection, stack, component.Name, includeComponent: true) : null;
                var outcome = await writer.WriteAsync(stack.Name, component.Name, [.. component.Backup.Sources, config], component.Backup.Keep, pause, token);
                failed += Report(cli, store, component.Name, outcome) == ExitCodes.Ok ? 0 : 1;
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static int Report(CliContext cli, BackupStore store, string component, Outcome<BackupResult> outcome)
    {
        if (outcome.Value is { } result)
        {
            BackupView.Written(cli.Terminal.Out, cli.Display(store.DirectoryOf(component)), result);
            return ExitCodes.Ok;
        }

        BackupView.Problem(cli.Terminal.Err, component, outcome.Problem! with { Cause = $"{outcome.Problem!.Cause}; no backup was left behind" });
        return ExitCodes.Failed;
    }

    private static int ListBackups(CliContext cli, BackupStore store, string[] names)
    {
        var backups = names.Length == 0 ? store.List() : [.. names.SelectMany(n => store.List(n)).OrderBy(b => b.Manifest.CreatedAt)];
        if (cli.Json)
        {
            CliContext.WriteJson(backups.Select(b => b.Manifest).ToList(), BackupJson.Default.ListBackupManifest);
            return ExitCodes.Ok;
        }

        if (backups.Count == 0)
        {
            cli.Terminal.Out.MarkupLine($"[grey]no backups in {Markup.Escape(cli.Display(store.Root))}; take one: tend backup[/]");
            return ExitCodes.Ok;
        }

        BackupView.List(cli.Terminal.Out, backups, cli.Display);
        return ExitCodes.Ok;
    }
}
