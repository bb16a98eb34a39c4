namespace Tend.Core.Events;

/// <summary>The JSON type of a field, as <c>jq</c> sees it.</summary>
public enum EventFieldType
{
    String,
    Integer,
    Number,
    Boolean,
    StringList,
}

/// <summary>Whether an event is about one component or about the whole stack (<c>"component": null</c>).</summary>
public enum EventScope
{
    Stack,
    Component,

    /// <summary>About a component when it concerns one, else the stack (a monitor alert on a component, the host or a disk).</summary>
    Either,
}

/// <summary>A field a kind carries: its name, JSON type and meaning. Optional fields may be absent or null.</summary>
public sealed record EventFieldSpec(string Name, EventFieldType Type, string Meaning, bool Optional = false)
{
    public string TypeName => Type switch
    {
        EventFieldType.String => "string",
        EventFieldType.Integer => "integer",
        EventFieldType.Number => "number",
        EventFieldType.Boolean => "boolean",
        _ => "string[]",
    };

    public bool Accepts(EventValue value) => (Type, value) switch
    {
        (_, EventValue.Nothing) => Optional,
        (EventFieldType.String, EventValue.Text) => true,
        (EventFieldType.Integer, EventValue.Integer) => true,
        (EventFieldType.Number, EventValue.Number or EventValue.Integer) => true,
        (EventFieldType.Boolean, EventValue.Flag) => true,
        (EventFieldType.StringList, EventValue.TextList) => true,
        _ => false,
    };
}

/// <summary>A kind of event: its name (the <c>event</c> key), what it means, and the fields it carries.</summary>
public sealed record EventKind(string Name, EventScope Scope, string Description, IReadOnlyList<EventFieldSpec> Fields)
{
    /// <summary>
    /// An event of this kind, its fields cut to <see cref="EventFieldLimits"/>. Fields beyond the
    /// documented ones are allowed: fields only ever gain.
    /// </summary>
    public EventRecord Create(DateTimeOffset timestamp, string? component, params ReadOnlySpan<EventField> fields)
    {
        var capped = new EventField[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            capped[i] = EventFieldLimits.Cap(fields[i]);
        }

        return new(timestamp, Name, component, capped);
    }

    /// <summary>What is wrong with <paramref name="record"/> as an event of this kind; empty when it conforms.</summary>
    public IReadOnlyList<string> Check(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problems = new List<string>();
        if (record.Kind != Name)
        {
            problems.Add($"kind is '{record.Kind}', not '{Name}'");
        }

        if (Scope == EventScope.Component && record.Component is null)
        {
            problems.Add($"{Name} is about a component, but none is set");
        }
        else if (Scope == EventScope.Stack && record.Component is not null)
        {
            problems.Add($"{Name} is about the whole stack, but component '{record.Component}' is set");
        }

        foreach (var spec in Fields)
        {
            var value = record[spec.Name];
            if (value is null)
            {
                if (!spec.Optional)
                {
                    problems.Add($"{Name} lacks field '{spec.Name}'");
                }
            }
            else if (!spec.Accepts(value))
            {
                problems.Add($"{Name}.{spec.Name} should be {(spec.Optional ? "null or " : "")}{spec.TypeName}, not {value.GetType().Name}");
            }
        }

        return problems;
    }
}
