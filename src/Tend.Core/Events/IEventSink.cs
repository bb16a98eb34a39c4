namespace Tend.Core.Events;

/// <summary>
/// Where the supervisor reports every state change: the daemon's <see cref="EventHub"/> (the
/// files, then whoever listens), a list in tests. Kinds come from the one registry,
/// <see cref="EventKinds"/>, so nothing unregistered is written.
/// </summary>
public interface IEventSink
{
    void Emit(EventKind kind, string? component, params EventField[] fields);

    /// <summary>
    /// The stack's known secret values. A command line is masked with them before the patterns
    /// run: a pattern that masks the first word of "--password correct horse battery" would
    /// otherwise leave the rest for no known value to match.
    /// </summary>
    SecretValues Secrets => SecretValues.None;
}

/// <summary>Field helpers for values the registry writes in one agreed form.</summary>
public static class EventFields
{
    public static EventField Ms(string name, TimeSpan duration) => new(name, EventValue.Milliseconds(duration));

    public static EventField List(string name, IEnumerable<string> values) => new(name, EventValue.List(values));

    /// <summary>Optional fields are left out when they have no value, as the registry allows.</summary>
    public static EventField[] Present(params EventField?[] fields) => [.. fields.Where(f => f is not null).Select(f => f!)];
}
