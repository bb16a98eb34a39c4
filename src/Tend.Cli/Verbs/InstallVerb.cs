using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Operations.Systemd;
using Tend.Core.Persistence;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend install [--user | --system] [--now] [--dry-run]</c>: one systemd unit for the stack's
/// daemon (docs/operations.md); <c>tend uninstall</c> takes it away again.
/// </summary>
internal static class InstallVerb
{
    private sealed record Options(Option<bool> User, Option<bool> System, Option<bool> Now);

    private static Options Common(string now) => new(
        new Option<bool>("--user") { Description = "The user's own systemd (systemctl --user); the default" },
        new Option<bool>("--system") { Description = "The system's systemd (/etc/systemd/system), as root; the daemon runs as the user who ran sudo" },
        new Option<bool>("--now") { Description = now });

    public static Command Install(GlobalOptions options)
    {
        var common = Common("Also reload systemd and enable and start the unit now (systemctl enable --now)");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the unit and write nothing" };
        var command = new Command("install", "Write a systemd unit that runs the stack's daemon (tend-STACK.service)") { common.User, common.System, common.Now, dryRun };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            return Mode(cli, parse, common) is not { } mode ? ExitCodes.Usage
                : await InstallAsync(cli, mode, parse.GetValue(common.Now), parse.GetValue(dryRun), token);
        });
        return command;
    }

    public static Command Uninstall(GlobalOptions options)
    {
        var common = Common("Also stop the daemon now (systemctl disable --now)");
        var command = new Command("uninstall", "Disable and remove the stack's systemd unit written by tend install") { common.User, common.System, common.Now };
        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            return Mode(cli, parse, common) is not { } mode ? ExitCodes.Usage
                : await UninstallAsync(cli, mode, parse.GetValue(common.Now), token);
        });
        return command;
    }

    private static UnitMode? Mode(CliContext cli, ParseResult parse, Options common)
    {
        if (parse.GetValue(common.User) && parse.GetValue(common.System))
        {
            cli.UsageError("--user and --system exclude each other: a stack has one supervisor", "give one of them (--user is the default)");
            return null;
        }

        return parse.GetValue(common.System) ? UnitMode.System : UnitMode.User;
    }

    private static async Task<int> InstallAsync(CliContext cli, UnitMode mode, bool now, bool dryRun, CancellationToken cancellationToken)
    {
        if (cli.LoadStack() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        if (Environment.ProcessPath is not { } executable)
        {
            return cli.Failure("cannot tell where this tend binary is (no /proc/self/exe?): the unit needs its absolute path");
        }

        var sudoUser = Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } named && named != "root" ? named : null;
        var plan = UnitPlan.For(stack, mode, executable, Environment.GetEnvironmentVariable, sudoUser);
        var unit = plan.Unit;
        var path = Path.Combine(UnitLocation.Directory(mode, Environment.GetEnvironmentVariable), unit.Name);
        var console = cli.Terminal.Out;
        if (dryRun)
        {
            // The unit alone on stdout, to read or redirect; where it would go on stderr.
            Console.Out.Write(unit.Text());
            cli.Terminal.Err.MarkupLine($"[grey]# tend install{(mode == UnitMode.System ? " --system" : "")} would write this to {Markup.Escape(path)}[/]");
            WarnAboutSecrets(cli, plan, mode);
            return ExitCodes.Ok;
        }

        if (mode == UnitMode.System && !Environment.IsPrivilegedProcess)
        {
            return cli.Failure(
                $"tend install --system writes {UnitLocation.SystemDirectory} and needs root",
                $"run it with sudo: sudo {ShellWords.Quote(executable)} -f {ShellWords.Quote(stack.Path)} install --system{(now ? " --now" : "")}; or install for your own user: tend -f {ShellWords.Quote(stack.Path)} install --user");
        }

        if (await OutsideSystemdAsync(stack, cancellationToken) is { } running)
        {
            var file = ShellWords.Quote(stack.Path);
            return cli.Failure(
                $"a daemon of {stack.Name} already runs outside systemd ({running}): a unit would start a second supervisor of the same processes",
                $"move it under systemd: stop it with `tend -f {file} down` (or `tend -f {file} daemon stop`), then `tend -f {file} install{(mode == UnitMode.System ? " --system" : "")} --now`");
        }

        if (Existing(path, stack) is { } refusal)
        {
            return cli.Failure(refusal.Message, refusal.Hint);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, unit.Text());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cli.Failure($"cannot write {path}: {IoErrorText.Of(e)}");
        }

        console.MarkupLine($"[green]✓[/] wrote {Markup.Escape(path)} [grey](tend -f {Markup.Escape(ShellWords.Quote(stack.Path))} install --dry-run prints it)[/]");
        WarnAboutSecrets(cli, plan, mode);
        var tools = new SystemdTools(mode, cli.Time);
        if (mode == UnitMode.User)
        {
            await ReportLingerAsync(cli, tools, cancellationToken);
        }

        if (!now)
        {
            console.MarkupLine($"[grey]Next:[/] {Markup.Escape(tools.Typed("daemon-reload"))} && {Markup.Escape(tools.Typed("enable", "--now", unit.Name))}");
            return ExitCodes.Ok;
        }

        foreach (var words in (string[][])[["daemon-reload"], ["enable", "--now", unit.Name]])
        {
            if (await tools.SystemctlAsync(words, cancellationToken) is { } failed)
            {
                return cli.Failure(failed, $"the unit is written; once systemd runs here: {tools.Typed("daemon-reload")} && {tools.Typed("enable", "--now", unit.Name)}");
            }
        }

        console.MarkupLine($"[green]✓[/] {Markup.Escape(unit.Name)} enabled and started: the stack is up [grey]({Markup.Escape(tools.Typed("status", unit.Name))}, tend -f {Markup.Escape(ShellWords.Quote(stack.Path))} status)[/]");
        return ExitCodes.Ok;
    }

    private static async Task<int> UninstallAsync(CliContext cli, UnitMode mode, bool now, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForControl() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        var name = UnitName.For(stack.Name);
        var path = Path.Combine(UnitLocation.Directory(mode, Environment.GetEnvironmentVariable), name);
        var console = cli.Terminal.Out;
        if (!File.Exists(path))
        {
            console.MarkupLine($"[grey]no unit {Markup.Escape(path)}: nothing to remove{(mode == UnitMode.User ? " (tend uninstall --system for a system unit)" : "")}[/]");
            return ExitCodes.Ok;
        }

        if (mode == UnitMode.System && !Environment.IsPrivilegedProcess)
        {
            return cli.Failure($"{path} is the system's: removing it needs root", $"sudo {ShellWords.Quote(Environment.ProcessPath ?? "tend")} -f {ShellWords.Quote(stack.Path)} uninstall --system{(now ? " --now" : "")}");
        }

        if (Existing(path, stack) is { } refusal)
        {
            return cli.Failure(refusal.Message, refusal.Hint);
        }

        var tools = new SystemdTools(mode, cli.Time);
        string[] disable = now ? ["disable", "--now", name] : ["disable", name];
        if (await tools.SystemctlAsync(disable, cancellationToken) is { } failed)
        {
            return cli.Failure($"{failed}; the unit was left in place", $"once systemd runs here: tend -f {ShellWords.Quote(stack.Path)} uninstall{(mode == UnitMode.System ? " --system" : "")}{(now ? " --now" : "")}");
        }

        FileCleanup.TryDelete(path);
        if (await tools.SystemctlAsync(["daemon-reload"], cancellationToken) is { } reload)
        {
            return cli.Failure($"removed {path}, but {reload}", tools.Typed("daemon-reload"));
        }

        console.MarkupLine($"[green]✓[/] removed {Markup.Escape(path)}{(now ? ", and the daemon was stopped with its stack" : "")}");
        if (!now)
        {
            console.MarkupLine($"[grey]A daemon it started runs on until[/] {Markup.Escape(tools.Typed("stop", name))}");
        }

        return ExitCodes.Ok;
    }

    private sealed record Refusal(string Message, string Hint);

    /// <summary>Why the unit at <paramref name="path"/> must not be overwritten or removed: written by hand, or for another stack file of the same name.</summary>
    private static Refusal? Existing(string path, StackFile stack)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Refusal($"cannot read {path}: {IoErrorText.Of(e)}", "check its permissions");
        }

        return UnitFile.WrittenFor(text) switch
        {
            null => new Refusal($"{path} was not written by tend: it is left as it is", $"move it away if it is no longer wanted (mv {ShellWords.Quote(path)} {ShellWords.Quote(path + ".orig")}), then run tend again"),
            var other when other != stack.Path => new Refusal(
                $"{path} runs another stack of the same name, {other}",
                $"give this stack another name ([stack] name in {stack.Path}), or uninstall the other: tend -f {ShellWords.Quote(other)} uninstall"),
            _ => null,
        };
    }

    /// <summary>The daemon of this stack when one answers and is not a systemd service ("pid N"); null otherwise.</summary>
    private static async Task<string?> OutsideSystemdAsync(StackFile stack, CancellationToken cancellationToken)
    {
        await using var connection = new DaemonConnection(stack);
        var reply = await connection.CallAsync(new StatusRequest(), cancellationToken);
        return reply switch
        {
            null => null,
            { Snapshot: { Systemd: null } snapshot } => $"pid {snapshot.DaemonPid}",
            { Snapshot: not null } => null,
            { Error: { } error } => $"pid {Tend.Daemon.Hosting.DaemonHost.ReadPid(connection.Paths.PidFile)}, which answered: {error.Message}",
            _ => null,
        };
    }

    private static async Task ReportLingerAsync(CliContext cli, SystemdTools tools, CancellationToken cancellationToken)
    {
        var user = Environment.UserName;
        var (linger, problem) = await tools.LingerAsync(user, cancellationToken);
        var enable = $"loginctl enable-linger {ShellWords.Quote(user)}";
        if (linger == false)
        {
            cli.Terminal.Out.MarkupLine($"[yellow]⚠[/] linger is off for {Markup.Escape(user)}: your systemd stops the stack when you log out and starts it only at your next login. Keep it running: {Markup.Escape(enable)}");
        }
        else if (linger is null)
        {
            cli.Terminal.Out.MarkupLine($"[yellow]⚠[/] could not tell whether linger is on for {Markup.Escape(user)} ({Markup.Escape(problem ?? "no answer")}); without it the stack runs only while you are logged in: {Markup.Escape(enable)}");
        }
    }

    private static void WarnAboutSecrets(CliContext cli, UnitPlan plan, UnitMode mode)
    {
        if (plan.SecretsLeftOut.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", plan.SecretsLeftOut);
        cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] the stack file uses {Markup.Escape(names)}, which hold secrets: a unit file is readable by every user, so they are not in it. Give them to the unit privately: {Markup.Escape(mode.Systemctl())} edit {Markup.Escape(ShellWords.Quote(plan.Unit.Name))} and add Environment=NAME=VALUE lines (or an EnvironmentFile= of mode 0600)");
    }
}
