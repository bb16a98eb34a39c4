namespace Tend.Core.Events;

/// <summary>One named value of an event, written after <c>ts</c>, <c>event</c> and <c>component</c>.</summary>
public sealed record EventField
{
    public EventField(string name, EventValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = value ?? EventValue.Null;
    }

    public string Name { get; }

    public EventValue Value { get; }

    public override string ToString() => $"{Name}={Value}";
}
