using Tend.Core.Events;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>The supervisor's events, appended to the stack's daily JSONL files by the event log.</summary>
public sealed class LoggedEvents(string directory, TimeProvider time) : ISupervisorEvents, IDisposable
{
    private readonly EventLog _log = new(directory, time);

    public void Emit(EventKind kind, string? component, params EventField[] fields) =>
        _log.Append(kind, component, fields);

    /// <summary>Flushes to disk on a clean stop; events are not synced one by one (see EventLog).</summary>
    public void Dispose()
    {
        _log.Sync();
        _log.Dispose();
    }
}
