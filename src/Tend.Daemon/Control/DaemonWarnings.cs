using Tend.Core.Events;
using Tend.Core.Status;

namespace Tend.Daemon.Control;

/// <summary>
/// The daemon's own troubles of the moment, for every snapshot: state.json that cannot be
/// written (set by whoever writes it) and events the files could not take (asked of the hub).
/// </summary>
public sealed class DaemonWarnings(EventHub events)
{
    private volatile DaemonWarning? _state;

    /// <summary>state.json cannot be written since <paramref name="since"/>; null when it can again.</summary>
    public void StateTrouble(string? error, DateTimeOffset since) =>
        _state = error is null ? null : new DaemonWarning(DaemonWarning.State, $"state.json cannot be written ({error}); the daemon keeps supervising from memory and tries again every second", since);

    public IReadOnlyList<DaemonWarning>? Now()
    {
        List<DaemonWarning> now = [];
        if (_state is { } state)
        {
            now.Add(state);
        }

        if (events.LogTrouble is { } trouble)
        {
            now.Add(new DaemonWarning(DaemonWarning.Events, $"{trouble.Lost} event{(trouble.Lost == 1 ? "" : "s")} could not be written ({trouble.Reason}); the next one written is preceded by an events_lost record", trouble.Since));
        }

        return now.Count == 0 ? null : now;
    }
}
