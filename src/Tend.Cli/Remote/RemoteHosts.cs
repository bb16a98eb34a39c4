using System.CommandLine;
using System.CommandLine.Invocation;

namespace Tend.Cli.Remote;

/// <summary>
/// <c>--host ALIAS</c> on the verbs that look at a stack (and start, stop and restart): the verb
/// keeps its own action for this host, and with <c>--host</c> asks the other host's `tend api
/// --stdio` over ssh instead (<see cref="RemoteVerbs"/>). Added here, in one place, so the verbs
/// stay as they are.
/// </summary>
internal static class RemoteHosts
{
    /// <summary>The verbs that take --host.</summary>
    public static IReadOnlyList<string> Verbs => Daemon.Remote.HostedCommands.HostVerbs;

    /// <summary>The verbs that follow a host for as long as it takes, and so live through a dropped link.</summary>
    public static IReadOnlyList<string> Following { get; } = ["events", "logs", "monitor"];

    public static void AddTo(RootCommand root, GlobalOptions options)
    {
        foreach (var command in root.Subcommands.Where(c => Verbs.Contains(c.Name)))
        {
            var host = new Option<string[]>("--host")
            {
                Description = command.Name == "monitor"
                    ? "Watch the stack of another host over ssh (an alias of ~/.ssh/config), through its tend api --stdio; give it again for several hosts in one view"
                    : "Ask the stack of another host over ssh (an alias of ~/.ssh/config), through its tend api --stdio (docs/remote.md)",
                HelpName = "ALIAS",
            };
            command.Options.Add(host);
            Option<string?>? tolerance = null;
            if (Following.Contains(command.Name))
            {
                tolerance = new Option<string?>("--remote-failure-tolerance")
                {
                    Description = "With --host: how long a lost link is retried (back-off 1s doubling to 30s) before giving up; default 90s",
                    HelpName = "DURATION",
                };
                command.Options.Add(tolerance);
            }

            var local = command.Action as AsynchronousCommandLineAction
                ?? throw new InvalidOperationException($"tend {command.Name} has no asynchronous action to fall back on");
            command.SetAction((parse, token) =>
            {
                var toleranceText = tolerance is null ? null : parse.GetValue(tolerance);
                if (parse.GetValue(host) is { Length: > 0 } hosts)
                {
                    return RemoteVerbs.RunAsync(new CliContext(parse, options), command.Name, hosts, toleranceText, token);
                }

                return toleranceText is null
                    ? local.InvokeAsync(parse, token)
                    : Task.FromResult(new CliContext(parse, options).UsageError("--remote-failure-tolerance is for a link to another host: it goes with --host and an ssh alias", "docs/remote.md"));
            });
        }
    }
}
