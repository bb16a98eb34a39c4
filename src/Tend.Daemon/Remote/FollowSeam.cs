namespace Tend.Daemon.Remote;

/// <summary>
/// Where what is asked for again after a reconnection (events, log lines) joins what was already
/// shown: older items, and those of the last one's time up to and with it, are dropped; from the
/// first newer one on, everything is new. What the host wrote during the outage comes back this
/// way, as the host wrote it.
/// </summary>
/// <param name="timeOf">An item's time: items come oldest first.</param>
public sealed class FollowSeam<T>(Func<T, DateTimeOffset> timeOf)
    where T : class, IEquatable<T>
{
    /// <summary>How many of the host's latest items to ask for again after a reconnection.</summary>
    public const int Replay = 1000;

    private T? _lastShown;
    private bool _joining;
    private bool _gap;

    public bool HasShown => _lastShown is not null;

    /// <summary>A new session begins: its first items may repeat what was shown.</summary>
    public void Rejoin() => _joining = _lastShown is not null;

    public bool IsNew(T item)
    {
        if (_joining && _lastShown is { } last)
        {
            if (timeOf(item) < timeOf(last) || (timeOf(item) == timeOf(last) && !item.Equals(last)))
            {
                return false;
            }

            if (item.Equals(last))
            {
                _joining = false;
                return false;
            }

            // A newer item before the last shown one was found: what came between was not asked
            // again (more than Replay, or of a run before the one asked for).
            _joining = false;
            _gap = true;
        }

        _lastShown = item;
        return true;
    }

    /// <summary>Whether the items just joined may have skipped some written while the link was down; asking clears it.</summary>
    public bool TakeGap()
    {
        var gap = _gap;
        _gap = false;
        return gap;
    }
}
