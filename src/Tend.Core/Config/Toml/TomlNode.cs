using Tend.Core.Model;

namespace Tend.Core.Config.Toml;

/// <summary>
/// A TOML value with the place it was written. Tomlyn's model types drop positions and its
/// syntax tree keeps tables scattered across headers, so the loader folds the syntax tree into
/// these nodes once and every later error can point at the exact value.
/// </summary>
public abstract class TomlNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>The TOML type name as users read it in error messages.</summary>
    public abstract string TypeName { get; }
}

public sealed class TomlStringNode(SourceLocation location, string value) : TomlNode(location)
{
    public string Value { get; } = value;
    public override string TypeName => "string";
}

public sealed class TomlIntegerNode(SourceLocation location, long value) : TomlNode(location)
{
    public long Value { get; } = value;
    public override string TypeName => "integer";
}

public sealed class TomlFloatNode(SourceLocation location, double value) : TomlNode(location)
{
    public double Value { get; } = value;
    public override string TypeName => "float";
}

public sealed class TomlBooleanNode(SourceLocation location, bool value) : TomlNode(location)
{
    public bool Value { get; } = value;
    public override string TypeName => "boolean";
}

public sealed class TomlDateTimeNode(SourceLocation location, string text) : TomlNode(location)
{
    public string Text { get; } = text;
    public override string TypeName => "date-time";
}

public sealed class TomlArrayNode(SourceLocation location, bool isTableArray) : TomlNode(location)
{
    private readonly List<TomlNode> _items = [];

    /// <summary>True for <c>[[name]]</c> arrays of tables, false for inline <c>[...]</c> arrays.</summary>
    public bool IsTableArray { get; } = isTableArray;

    public IReadOnlyList<TomlNode> Items => _items;

    public override string TypeName => "array";

    internal void Add(TomlNode item) => _items.Add(item);
}

/// <summary>One <c>key = value</c> of a table, with where the key itself was written.</summary>
public sealed record TomlEntry(string Key, SourceLocation KeyLocation, TomlNode Value);

public sealed class TomlTableNode(SourceLocation location, bool isInline) : TomlNode(location)
{
    private readonly List<TomlEntry> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public bool IsInline { get; } = isInline;

    /// <summary>True when the table exists only because a dotted key or header passed through it.</summary>
    internal bool IsImplicit { get; set; }

    /// <summary>Entries in the order they were written.</summary>
    public IReadOnlyList<TomlEntry> Entries => _entries;

    public override string TypeName => "table";

    public bool TryGet(string key, out TomlEntry entry)
    {
        if (_index.TryGetValue(key, out var i))
        {
            entry = _entries[i];
            return true;
        }

        entry = null!;
        return false;
    }

    internal void Remove(string key)
    {
        if (_index.Remove(key, out var i))
        {
            _entries.RemoveAt(i);
            foreach (var (name, at) in _index.Where(e => e.Value > i).ToList())
            {
                _index[name] = at - 1;
            }
        }
    }

    internal void Set(TomlEntry entry)
    {
        if (_index.TryGetValue(entry.Key, out var i))
        {
            _entries[i] = entry;
        }
        else
        {
            _index[entry.Key] = _entries.Count;
            _entries.Add(entry);
        }
    }
}
