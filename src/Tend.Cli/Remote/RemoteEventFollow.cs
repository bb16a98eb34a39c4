using Tend.Daemon.Remote;
using Spectre.Console;
using Tend.Cli.Verbs;
using Tend.Core.Events;

namespace Tend.Cli.Remote;

/// <summary>`tend events -f --host ALIAS`: the host's events as they come, across dropped links, with the link's own events in the stream.</summary>
internal static class RemoteEventFollow
{
    public static async Task<int> RunAsync(CliContext cli, string host, EventFilter filter, int last, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        var seam = new FollowSeam<EventRecord>(e => e.Timestamp);
        var follower = new RemoteFollower(host, tolerance, cli.Time, e => RemoteEventView.Print(cli, e));
        try
        {
            var failure = await follower.RunAsync(async (session, token) =>
            {
                seam.Rejoin();
                try
                {
                    await foreach (var e in session.EventsAsync(filter, seam.HasShown ? FollowSeam<EventRecord>.Replay : last, follow: true, token))
                    {
                        if (seam.IsNew(e))
                        {
                            if (seam.TakeGap())
                            {
                                // Not on stdout with --json: that is event lines only.
                                var gap = $"… events from while the link was down may be missing here (more than {FollowSeam<EventRecord>.Replay}): tend events -n 5000 --host {host} shows them";
                                if (cli.Json)
                                {
                                    await Console.Error.WriteLineAsync(gap);
                                }
                                else
                                {
                                    cli.Terminal.Out.MarkupLine($"[grey]{Markup.Escape(gap)}[/]");
                                }
                            }

                            EventsVerb.Print(cli, e);
                        }
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Ctrl+C ends a follow.
                }
            }, cancellationToken);
            return failure is null || cancellationToken.IsCancellationRequested ? ExitCodes.Ok : failure.Report(cli);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }
}
