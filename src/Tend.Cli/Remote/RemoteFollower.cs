using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>
/// Keeps a follow (events -f, monitor) going across a link that drops: the body runs over a
/// session; when the link goes down (ssh exit 255) a <c>remote_blip</c> is told and it is opened
/// again after <see cref="RemoteRetry"/>'s back-off, until it comes back or the tolerance has
/// passed (<c>remote_gave_up</c>). A host that never answered, or that refuses, is not retried:
/// that is an answer, not a blip.
/// </summary>
internal sealed class RemoteFollower(string host, TimeSpan tolerance, TimeProvider time, Action<Tend.Core.Events.EventRecord> onLinkEvent)
{
    /// <summary>Until the body ends by itself (null) or cannot go on (why).</summary>
    /// <param name="body">The follow over one session; it ends when the session's answers end, with <see cref="RemoteSession.Failure"/> saying why.</param>
    /// <param name="opened">A session already open (its link the caller's) to follow over first.</param>
    public async Task<RemoteFailure?> RunAsync(Func<RemoteSession, CancellationToken, Task> body, CancellationToken cancellationToken, RemoteSession? opened = null)
    {
        var retry = new RemoteRetry(tolerance, time);
        var connectedOnce = false;
        async Task<RemoteFailure?> OverAsync(RemoteSession session)
        {
            connectedOnce = true;
            retry.Connected();
            await body(session, cancellationToken);
            return session.Failure;
        }

        while (true)
        {
            RemoteFailure? failure;
            if (opened is { } first)
            {
                opened = null;
                failure = await OverAsync(first);

                // The caller's session is spent: what it says now is this follow's to tell.
                first.Forget();
            }
            else
            {
                var (link, problem) = await RemoteLink.OpenAsync(host, time, cancellationToken);
                if (link is null)
                {
                    failure = new RemoteFailure(null, problem);
                }
                else
                {
                    await using (link)
                    {
                        failure = await OverAsync(new RemoteSession(link));
                    }
                }
            }

            if (failure is null)
            {
                return null;
            }

            if (!connectedOnce || !failure.IsLinkDown || cancellationToken.IsCancellationRequested)
            {
                return failure;
            }

            var step = retry.Failed();
            onLinkEvent(RemoteEvents.Of(host, step, failure.Problem!.SshExit ?? -1, failure.Problem!.Message, tolerance, time.GetUtcNow()));
            if (step.GiveUp)
            {
                return new RemoteFailure(null, failure.Problem! with
                {
                    Message = $"gave up on {host}: the link has been down for {Core.Text.Quantities.FormatDuration(step.DownFor)} (--remote-failure-tolerance {Core.Text.Quantities.FormatDuration(tolerance)}); the last attempt: {failure.Problem!.Message}",
                })
                {
                    GaveUp = true,
                };
            }

            await Task.Delay(step.RetryIn, time, cancellationToken);
        }
    }
}
