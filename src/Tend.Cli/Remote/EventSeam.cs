using Tend.Core.Events;

namespace Tend.Cli.Remote;

/// <summary>
/// Where the events asked for again after a reconnection join those already shown: older ones,
/// and those of the last one's time up to and with it, are dropped; from the first newer one on,
/// everything is new. Events of the outage itself come back this way, as the host logged them.
/// </summary>
internal sealed class EventSeam
{
    /// <summary>How many of the host's latest events to ask for again after a reconnection.</summary>
    public const int Replay = 1000;

    private EventRecord? _lastShown;
    private bool _joining;

    public bool HasShown => _lastShown is not null;

    /// <summary>A new session begins: its first events may repeat what was shown.</summary>
    public void Rejoin() => _joining = _lastShown is not null;

    public bool IsNew(EventRecord e)
    {
        if (_joining && _lastShown is { } last)
        {
            if (e.Timestamp < last.Timestamp || (e.Timestamp == last.Timestamp && !e.Equals(last)))
            {
                return false;
            }

            if (e.Equals(last))
            {
                _joining = false;
                return false;
            }

            _joining = false;
        }

        _lastShown = e;
        return true;
    }
}
