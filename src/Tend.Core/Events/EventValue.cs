using System.Globalization;

namespace Tend.Core.Events;

/// <summary>
/// The value of an event field: a small closed union, so that writing and reading need no
/// reflection (Native AOT) and every field has a JSON type that <c>jq</c> understands.
/// </summary>
public abstract record EventValue
{
    private EventValue()
    {
    }

    public static EventValue Null { get; } = new Nothing();

    public static implicit operator EventValue(string? value) => value is null ? Null : new Text(value);

    public static implicit operator EventValue(long value) => new Integer(value);

    public static implicit operator EventValue(double value) => new Number(value);

    public static implicit operator EventValue(bool value) => new Flag(value);

    public static implicit operator EventValue(string[] values) => new TextList(values);

    public static EventValue List(IEnumerable<string> values) => new TextList(values);

    /// <summary>A duration as whole milliseconds, the unit of every <c>*_ms</c> field.</summary>
    public static EventValue Milliseconds(TimeSpan duration) => new Integer((long)Math.Round(duration.TotalMilliseconds));

    public sealed record Text(string Value) : EventValue
    {
        public override string ToString() => Value;
    }

    public sealed record Integer(long Value) : EventValue
    {
        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A number with a fraction. NaN and infinities have no JSON form and are written as null.</summary>
    public sealed record Number(double Value) : EventValue
    {
        public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
    }

    public sealed record Flag(bool Value) : EventValue
    {
        public override string ToString() => Value ? "true" : "false";
    }

    public sealed record Nothing : EventValue
    {
        public override string ToString() => "null";
    }

    public sealed record TextList : EventValue
    {
        public TextList(IEnumerable<string> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            Values = [.. values];
        }

        public IReadOnlyList<string> Values { get; }

        // Records compare lists by reference; two lists of the same strings are the same value.
        public bool Equals(TextList? other) => other is not null && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var value in Values)
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        public override string ToString() => string.Join(", ", Values);
    }
}
