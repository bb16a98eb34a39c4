using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tend.Core.Model;

/// <summary>
/// A read-only table of strings (an environment, HTTP headers) that equals another with the same
/// pairs in any order. See <see cref="ValueList{T}"/> for why the model holds these.
/// </summary>
public sealed class ValueDictionary : IReadOnlyDictionary<string, string>, IEquatable<ValueDictionary>
{
    private readonly Dictionary<string, string> _pairs;

    public ValueDictionary(IEnumerable<KeyValuePair<string, string>> pairs) => _pairs = new Dictionary<string, string>(pairs, StringComparer.Ordinal);

    public static readonly ValueDictionary Empty = new([]);

    public int Count => _pairs.Count;

    public IEnumerable<string> Keys => _pairs.Keys;

    public IEnumerable<string> Values => _pairs.Values;

    public string this[string key] => _pairs[key];

    public bool ContainsKey(string key) => _pairs.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _pairs.TryGetValue(key, out value);

    public bool Equals(ValueDictionary? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (other._pairs.Count == _pairs.Count && _pairs.All(p => other._pairs.TryGetValue(p.Key, out var value) && value == p.Value)));

    public override bool Equals(object? obj) => obj is ValueDictionary other && Equals(other);

    public override int GetHashCode()
    {
        // Order-independent: the same pairs in another order make the same hash.
        var hash = 0;
        foreach (var (key, value) in _pairs)
        {
            hash ^= HashCode.Combine(key, value);
        }

        return hash;
    }

    /// <summary>The pairs sorted by key, so that a record holding the map prints the same for the same values.</summary>
    public override string ToString() => $"{{{string.Join(", ", _pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}}";

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _pairs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _pairs.GetEnumerator();

    public static bool operator ==(ValueDictionary? left, ValueDictionary? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ValueDictionary? left, ValueDictionary? right) => !(left == right);
}

public static class ValueDictionaries
{
    public static ValueDictionary ToValueDictionary(this IEnumerable<KeyValuePair<string, string>> pairs) => pairs as ValueDictionary ?? new ValueDictionary(pairs);
}
