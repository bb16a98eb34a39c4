using System.Collections;
using System.Runtime.CompilerServices;

namespace Tend.Core.Model;

/// <summary>
/// A read-only list that equals another with the same items in the same order. The stack model
/// holds its lists in these, so that two loads of the same definition are equal records and an
/// edit of any item is a difference, without a comparison written by hand per field.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    internal ValueList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public bool Equals(ValueList<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default));

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>The items as written, so that a record holding the list prints its values.</summary>
    public override string ToString() => $"[{string.Join(", ", _items)}]";

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !(left == right);
}

public static class ValueList
{
    /// <summary>For collection expressions: <c>ValueList&lt;string&gt; argv = ["sh", "-c", script];</c>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.Length == 0 ? EmptyOf<T>.List : new(items.ToArray());

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => items is ValueList<T> list ? list : Create<T>([.. items]);

    private static class EmptyOf<T>
    {
        public static readonly ValueList<T> List = new([]);
    }
}
