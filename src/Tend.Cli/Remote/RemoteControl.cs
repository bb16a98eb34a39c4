using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Remote;

/// <summary>
/// `tend start|stop|restart COMP... --host ALIAS`: the request through the host's `tend api
/// --stdio --allow-control` (a read-only one refuses it, and says so), then, for start and
/// restart, the wait for the components to come up, on the snapshots the host pushes.
/// </summary>
internal static class RemoteControl
{
    public static async Task<int> RunAsync(CliContext cli, string verb, RemoteSession session, CancellationToken cancellationToken)
    {
        var names = cli.Parse.GetValue<string[]>("component") ?? [];
        var wait = Timeout.InfiniteTimeSpan;
        if (verb is "start" or "restart" && !Quantities.TryParseDuration(cli.Parse.GetValue<string?>("--timeout") ?? "10m", out wait))
        {
            return cli.UsageError($"--timeout must be a duration such as 5m, not '{cli.Parse.GetValue<string?>("--timeout")}'");
        }

        ControlRequest request = verb switch
        {
            "start" => new StartRequest(names, null),
            "restart" => new RestartRequest(names),
            _ => new StopRequest(names),
        };
        var host = session.Link.Host;
        if (await session.CallAsync(request, cancellationToken) is null)
        {
            return ExitCodes.Failed;
        }

        var console = cli.Terminal.Out;
        var done = verb == "stop" ? "stopped" : verb + "ed";
        if (verb == "stop" || cli.Parse.GetValue<bool>("--no-wait"))
        {
            var how = verb == "stop" ? "" : " [grey](it comes up in the background)[/]";
            console.MarkupLine($"[green]✓[/] {Markup.Escape(string.Join(", ", names))} {done} on {Markup.Escape(host)}{how}");
            return ExitCodes.Ok;
        }

        var settled = await new Settling(console, names).WaitAsync(session.Link.Client, wait, cancellationToken);
        if (settled.Lost is { } lost)
        {
            return cli.Failure($"{host}: {lost}", $"tend status --host {host}");
        }

        return Settling.Report(console, settled, wait, c => $"[green]✓[/] {Markup.Escape(c.Name)} {done} on {Markup.Escape(host)}: {Markup.Escape(c.Verdict.Reason)}", step => Daemon.Remote.HostedCommands.Rewrite(step, host));
    }
}
