namespace Tend.Core.Events;

/// <summary>
/// One fact: when, what kind, about which component (null for the whole stack), and the fields
/// of the kind in the order they are written.
/// </summary>
public sealed record EventRecord
{
    /// <summary>The keys every line starts with; no field may take one of them.</summary>
    public static IReadOnlyList<string> ReservedNames { get; } = ["ts", "event", "component"];

    public EventRecord(DateTimeOffset timestamp, string kind, string? component, IEnumerable<EventField>? fields = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        IReadOnlyList<EventField> list = fields is null ? [] : [.. fields];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in list)
        {
            // Both are bugs of the caller: a JSON object with a key twice means different things to different readers.
            if (ReservedNames.Contains(field.Name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"'{field.Name}' is a reserved key of every event, not a field", nameof(fields));
            }

            if (!seen.Add(field.Name))
            {
                throw new ArgumentException($"field '{field.Name}' is given twice", nameof(fields));
            }
        }

        Timestamp = timestamp.ToUniversalTime();
        Kind = kind;
        Component = component;
        Fields = list;
    }

    /// <summary>When it happened, in UTC.</summary>
    public DateTimeOffset Timestamp { get; }

    public string Kind { get; }

    public string? Component { get; }

    public IReadOnlyList<EventField> Fields { get; }

    /// <summary>The UTC date that names the daily file the event belongs to.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Timestamp.UtcDateTime);

    public EventValue? this[string name] => Fields.FirstOrDefault(f => f.Name == name)?.Value;

    public string? GetText(string name) => this[name] is EventValue.Text text ? text.Value : null;

    public long? GetInteger(string name) => this[name] is EventValue.Integer integer ? integer.Value : null;

    public IReadOnlyList<string>? GetList(string name) => this[name] is EventValue.TextList list ? list.Values : null;

    public bool Equals(EventRecord? other) =>
        other is not null
        && Timestamp.Equals(other.Timestamp)
        && Kind == other.Kind
        && Component == other.Component
        && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => HashCode.Combine(Timestamp, Kind, Component, Fields.Count);

    public override string ToString() =>
        $"{Timestamp:O} {Kind}{(Component is null ? "" : " " + Component)} {string.Join(" ", Fields)}".TrimEnd();
}
