using Tend.Daemon.Remote;
using Spectre.Console;
using Tend.Cli.Verbs;
using Tend.Core.Events;

namespace Tend.Cli.Remote;

/// <summary>`tend events -f --host ALIAS`: the host's events as they come, across dropped links, with the link's own events in the stream.</summary>
internal static class RemoteEventFollow
{
    public static Task<int> RunAsync(CliContext cli, string host, EventFilter filter, int last, TimeSpan tolerance, CancellationToken cancellationToken) =>
        RemoteStreamFollow.RunAsync<EventRecord>(
            cli,
            host,
            tolerance,
            e => e.Timestamp,
            (session, replay, token) => session.EventsAsync(filter, replay ?? last, follow: true, token),
            e => EventsVerb.Print(cli, e),
            () =>
            {
                // Not on stdout with --json: that is event lines only.
                var gap = $"… events from while the link was down may be missing here (more than {FollowSeam<EventRecord>.Replay}): tend events -n 5000 --host {host} shows them";
                if (cli.Json)
                {
                    Console.Error.WriteLine(gap);
                }
                else
                {
                    cli.Terminal.Out.MarkupLine($"[grey]{Markup.Escape(gap)}[/]");
                }
            },
            cancellationToken);
}
