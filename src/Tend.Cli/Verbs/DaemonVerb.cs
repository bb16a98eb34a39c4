using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Control;
using Tend.Daemon.Hosting;
using Tend.Daemon.Processes;

namespace Tend.Cli.Verbs;

/// <summary><c>tend daemon status|stop</c>, and <c>tend daemon run</c>, which `tend up` starts detached.</summary>
internal static class DaemonVerb
{
    public static Command Create(GlobalOptions options)
    {
        var daemon = new Command("daemon", "The stack's supervisor daemon: status, stop (and run, used by tend up)");

        var detach = new Option<bool>("--detach") { Description = "Send the daemon's own output to .tend/daemon.log (as tend up does)" };
        var bringUp = new Option<bool>("--up") { Description = "Bring the whole stack up once the daemon serves (the systemd unit of tend install runs it so)" };
        var run = new Command("run", "Run the daemon in the foreground") { detach, bringUp };
        run.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            if (cli.LoadStack() is not { } stack)
            {
                return ExitCodes.Usage;
            }

            using var host = new DaemonHost();
            return await host.RunAsync(stack.Path, parse.GetValue(detach), parse.GetValue(bringUp));
        });

        var status = new Command("status", "Is the daemon running, with which PID");
        status.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            if (cli.LoadStackForControl() is not { } stack)
            {
                return ExitCodes.Usage;
            }

            await using var connection = new DaemonConnection(stack);
            var response = await connection.CallAsync(new StatusRequest(), token);
            if (response?.Snapshot is { } snapshot)
            {
                cli.Terminal.Out.MarkupLine($"[green]●[/] daemon running, pid {snapshot.DaemonPid}, since {snapshot.DaemonStartedAt.ToLocalTime():HH:mm:ss}, {snapshot.Components.Count(c => c.Pid is not null)} processes supervised");
                SystemdLine.Render(cli.Terminal.Out, snapshot);
                return ExitCodes.Ok;
            }

            if (response?.Error is { } error)
            {
                cli.Terminal.Out.MarkupLine($"[yellow]●[/] a daemon listens, but: {Markup.Escape(error.ToString())}");
                return ExitCodes.Failed;
            }

            cli.Terminal.Out.MarkupLine($"[grey]●[/] no daemon runs for {Markup.Escape(stack.Name)} [grey](start one with tend up)[/]");
            return ExitCodes.Failed;
        });

        var stop = new Command("stop", "Stop every component in order, then the daemon");
        stop.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            if (cli.LoadStackForControl() is not { } stack)
            {
                return ExitCodes.Usage;
            }

            await using var connection = new DaemonConnection(stack);
            var process = int.TryParse(DaemonHost.ReadPid(connection.Paths.PidFile), out var pid) ? ProcStat.Read(pid) : null;
            var reply = await connection.CallAsync(new ShutdownRequest(), token);
            if (reply is null)
            {
                cli.Terminal.Out.MarkupLine("[grey]no daemon was running[/]");
                return ExitCodes.Ok;
            }

            if (reply.Error is { } error)
            {
                return cli.DaemonError(error);
            }

            // Wait for the daemon process itself to go (it lets go of its lock last), so a following `tend up` starts a fresh one;
            // the stack's stop waits out each component's grace, so this takes as long as it takes.
            var started = cli.Time.GetTimestamp();
            var told = false;
            try
            {
                while (process is null ? File.Exists(connection.Paths.PidFile) : ProcStat.IsStillRunning(process.Pid, process.StartTicks))
                {
                    if (!told && cli.Time.GetElapsedTime(started) > TimeSpan.FromSeconds(2))
                    {
                        cli.Terminal.Out.MarkupLine("[grey]… stopping the stack first: each component gets its grace (tend events -f shows who is left)[/]");
                        told = true;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(50), cli.Time, token);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                cli.Terminal.Out.MarkupLine($"[grey]stopped waiting; the daemon{(process is null ? "" : $" (pid {process.Pid})")} goes on stopping the stack[/]");
                return ExitCodes.Interrupted;
            }

            cli.Terminal.Out.MarkupLine("[green]✓[/] daemon stopped, and everything it ran");
            return ExitCodes.Ok;
        });

        daemon.Subcommands.Add(run);
        daemon.Subcommands.Add(status);
        daemon.Subcommands.Add(stop);
        return daemon;
    }
}
