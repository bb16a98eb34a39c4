using Tend.Cli.Verbs;
using Tend.Core.Events;
using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>
/// One host in `tend monitor --host`: one ssh session for as long as the view runs (its state
/// asked once a second and its events followed over that session), opened again after a drop.
/// </summary>
internal sealed class HostWatch(string host, TimeSpan tolerance, TimeProvider time)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private const int Kept = 8;

    private readonly List<EventRecord> _recent = [];
    private readonly FollowSeam<EventRecord> _seam = new(e => e.Timestamp);

    public string Host => host;

    /// <summary>The last state the host gave; null before the first answer.</summary>
    public StackState? State { get; private set; }

    /// <summary>The link's trouble as one line (a blip, the give-up, a refusal); null while it is up.</summary>
    public string? Trouble { get; private set; }

    /// <summary>The view ended for this host: it refused, or the link stayed down for the tolerance.</summary>
    public bool Ended { get; private set; }

    public IReadOnlyList<EventRecord> Recent()
    {
        lock (_recent)
        {
            return [.. _recent];
        }
    }

    /// <param name="onEvent">Each event as it comes, the link's own (<see cref="RemoteEvents"/>) included.</param>
    public async Task<RemoteFailure?> RunAsync(Action<EventRecord>? onEvent, CancellationToken cancellationToken)
    {
        var follower = new RemoteFollower(host, tolerance, time, e =>
        {
            Trouble = RemoteEvents.Narrate(e);
            Keep(e);
            onEvent?.Invoke(e);
        });
        RemoteFailure? failure;
        try
        {
            failure = await follower.RunAsync((session, token) => WatchAsync(session, onEvent, token), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (failure is not null && !cancellationToken.IsCancellationRequested)
        {
            Trouble = failure.Error?.ToString() ?? failure.Problem!.ToString();
            Ended = true;
        }

        return failure;
    }

    private async Task WatchAsync(RemoteSession session, Action<EventRecord>? onEvent, CancellationToken cancellationToken)
    {
        Trouble = null;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = FollowAsync(session, onEvent, watching.Token);
        try
        {
            // A snapshot a second only for the view: with only events to print, the stream is enough.
            if (onEvent is null)
            {
                while (!following.IsCompleted && await session.StateAsync(watching.Token) is { } state)
                {
                    State = state;
                    await Task.Delay(Refresh, time, watching.Token);
                }

                // The state went unanswered (the link, or the host): the events end with it.
                await watching.CancelAsync();
            }

            await following;
        }
        catch (OperationCanceledException) when (watching.IsCancellationRequested)
        {
            // The view is closing.
        }
        finally
        {
            await watching.CancelAsync();
            await following;
        }
    }

    private async Task FollowAsync(RemoteSession session, Action<EventRecord>? onEvent, CancellationToken cancellationToken)
    {
        _seam.Rejoin();
        try
        {
            await foreach (var e in session.EventsAsync(EventFilter.All, _seam.HasShown ? FollowSeam<EventRecord>.Replay : onEvent is null ? Kept : 0, follow: true, cancellationToken))
            {
                if (_seam.IsNew(e))
                {
                    Keep(e);
                    onEvent?.Invoke(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The view is closing, or the state's question found the link down first.
        }
    }

    private void Keep(EventRecord e)
    {
        lock (_recent)
        {
            _recent.Add(e);
            if (_recent.Count > Kept)
            {
                _recent.RemoveAt(0);
            }
        }
    }
}
