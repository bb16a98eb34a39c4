namespace Tend.Cli.Remote;

/// <summary>
/// Where what is asked for again after a reconnection (events, log lines) joins what was already
/// shown: older items, and those of the last one's time up to and with it, are dropped; from the
/// first newer one on, everything is new. What the host wrote during the outage comes back this
/// way, as the host wrote it.
/// </summary>
/// <param name="timeOf">An item's time: items come oldest first.</param>
internal sealed class FollowSeam<T>(Func<T, DateTimeOffset> timeOf)
    where T : class, IEquatable<T>
{
    /// <summary>How many of the host's latest items to ask for again after a reconnection.</summary>
    public const int Replay = 1000;

    private T? _lastShown;
    private bool _joining;

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

            _joining = false;
        }

        _lastShown = item;
        return true;
    }
}
