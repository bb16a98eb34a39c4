using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>
/// A follow of one of a host's streams (its events, a component's log) for as long as it runs:
/// over a <see cref="RemoteFollower"/> that reopens a dropped link, with what is asked again after
/// a reconnection joined where the last shown item was (<see cref="FollowSeam{T}"/>), and where
/// that replay did not reach back, said.
/// </summary>
internal static class RemoteStreamFollow
{
    /// <param name="stream">The stream over one session, with the number of items to ask again (null: the first asking, the user's own count).</param>
    /// <param name="gap">Says that items from while the link was down may be missing before the next one.</param>
    /// <param name="opened">A session already open to follow over first.</param>
    /// <returns>The command's exit code.</returns>
    public static async Task<int> RunAsync<T>(
        CliContext cli,
        string host,
        TimeSpan tolerance,
        Func<T, DateTimeOffset> timeOf,
        Func<RemoteSession, int?, CancellationToken, IAsyncEnumerable<T>> stream,
        Action<T> show,
        Action gap,
        CancellationToken cancellationToken,
        RemoteSession? opened = null)
        where T : class, IEquatable<T>
    {
        var seam = new FollowSeam<T>(timeOf);
        var follower = new RemoteFollower(host, tolerance, cli.Time, e => RemoteEventView.Print(cli, e));
        try
        {
            var failure = await follower.RunAsync(async (session, token) =>
            {
                seam.Rejoin();
                try
                {
                    await foreach (var item in stream(session, seam.HasShown ? FollowSeam<T>.Replay : null, token))
                    {
                        if (!seam.IsNew(item))
                        {
                            continue;
                        }

                        if (seam.TakeGap())
                        {
                            gap();
                        }

                        show(item);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Ctrl+C ends a follow.
                }
            }, cancellationToken, opened);
            return failure is null || cancellationToken.IsCancellationRequested ? ExitCodes.Ok : failure.Report(cli);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }
}
