namespace Tend.Daemon.Supervision;

/// <summary>A value of an event field: the small closed set the event log can write.</summary>
public readonly record struct EventField(string Name, object? Value);

/// <summary>Where the supervisor reports every state change (the event log in the daemon, a list in tests).</summary>
public interface ISupervisorEvents
{
    void Emit(string kind, string? component, params EventField[] fields);
}
