using Tend.Core.Events;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// Follows the daemon's events of some kinds and components while a request it answered runs (a
/// stop, an update), handing each to the caller as it comes, until cancelled or the daemon goes.
/// </summary>
internal static class EventFollower
{
    /// <summary>Calls <paramref name="onEvent"/> for each event until <paramref name="cancellationToken"/> ends the watch; a watch that ends is never an error.</summary>
    public static async Task FollowAsync(ControlClient client, IReadOnlyList<string> kinds, IReadOnlyList<string> components, Action<EventRecord> onEvent, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var reply in client.StreamAsync(new EventsRequest(kinds, components, 0, Follow: true), cancellationToken))
            {
                if (reply.Event is not { } element || EventJson.FromElement(element) is not { } record)
                {
                    break;
                }

                onEvent(record);
            }
        }
        catch (OperationCanceledException)
        {
            // Done watching.
        }
    }
}
