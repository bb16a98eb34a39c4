using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// Reads typed values out of one TOML table and remembers which keys it was asked for, so that
/// <see cref="Finish"/> can reject every key nobody knows with a "did you mean".
/// </summary>
public sealed class TableReader(TomlTableNode table, string path, ReadContext context)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TomlTableNode Table { get; } = table;

    /// <summary>Dotted path of this table for messages, e.g. <c>components.api.health</c>.</summary>
    public string Path { get; } = path;

    public ReadContext Context { get; } = context;

    public ConfigProblems Problems => Context.Problems;

    public SourceLocation Location => Table.Location;

    public string Describe(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Declares keys as known without reading them (read elsewhere, or reserved).</summary>
    public void Allow(params string[] keys) => _known.UnionWith(keys);

    public bool Has(string key)
    {
        _known.Add(key);
        return Table.TryGet(key, out _);
    }

    public TomlEntry? Entry(string key, bool required = false)
    {
        _known.Add(key);
        if (Table.TryGet(key, out var entry))
        {
            return entry;
        }

        if (required)
        {
            Problems.Error(Location, $"{Path}: missing required key '{key}'");
        }

        return null;
    }

    public string? String(string key, bool required = false) =>
        Entry(key, required) is { } entry ? AsString(entry.Value, Describe(key)) : null;

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue, bool required = false)
    {
        if (Entry(key, required) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlIntegerNode integer)
        {
            TypeError(entry.Value, Describe(key), "an integer");
            return null;
        }

        if (integer.Value < min || integer.Value > max)
        {
            Problems.Error(integer.Location, $"{Describe(key)} must be between {min} and {max}, not {integer.Value}");
            return null;
        }

        return integer.Value;
    }

    public bool? Boolean(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlBooleanNode boolean)
        {
            return boolean.Value;
        }

        TypeError(entry.Value, Describe(key), "true or false");
        return null;
    }

    public TimeSpan? Duration(string key, bool required = false)
    {
        if (Entry(key, required) is not { } entry)
        {
            return null;
        }

        return AsDuration(entry.Value, Describe(key));
    }

    /// <summary><c>"MIN..MAX"</c> such as <paramref name="example"/>, or one duration for both; MIN ≤ MAX.</summary>
    public (TimeSpan Min, TimeSpan Max)? DurationRange(string key, string example)
    {
        if (Entry(key) is not { } entry || AsString(entry.Value, Describe(key)) is not { } text)
        {
            return null;
        }

        var parts = text.Split("..", 2);
        if (Quantities.TryParseDuration(parts[0], out var min) && Quantities.TryParseDuration(parts.Length == 2 ? parts[1] : parts[0], out var max) && min <= max)
        {
            return (min, max);
        }

        Problems.Error(entry.Value.Location, $"{Describe(key)} must be \"MIN..MAX\" such as \"{example}\" (or one duration), with MIN ≤ MAX, not \"{text}\"");
        return null;
    }

    public TimeSpan? AsDuration(TomlNode node, string what)
    {
        if (node is TomlIntegerNode seconds && seconds.Value >= 0)
        {
            return TimeSpan.FromSeconds(seconds.Value);
        }

        if (node is TomlStringNode text && Quantities.TryParseDuration(Context.Interpolate(text), out var duration))
        {
            return duration;
        }

        Problems.Error(node.Location, $"{what} must be a duration such as \"500ms\", \"10s\" or \"1m30s\"", node is TomlStringNode s ? $"got \"{s.Value}\"" : $"got a {node.TypeName}");
        return null;
    }

    /// <summary>A regular expression, compiled with a match timeout; an invalid one is reported where it was written.</summary>
    public Pattern? Pattern(string key)
    {
        if (Entry(key) is not { } entry || AsString(entry.Value, Describe(key)) is not { } text)
        {
            return null;
        }

        try
        {
            return Patterns.Create(text);
        }
        catch (ArgumentException e)
        {
            Problems.Error(entry.Value.Location, $"{Describe(key)} is not a valid regular expression: {e.Message}");
            return null;
        }
    }

    /// <summary>A choice among fixed words; a wrong word gets the closest right one as a hint.</summary>
    public string? Choice(string key, IReadOnlyList<string> allowed, bool required = false)
    {
        if (Entry(key, required) is not { } entry || AsString(entry.Value, Describe(key)) is not { } value)
        {
            return null;
        }

        if (allowed.Contains(value))
        {
            return value;
        }

        Problems.Error(entry.Value.Location, $"{Describe(key)} must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}, not \"{value}\"", DidYouMean.Hint(value, allowed));
        return null;
    }

    /// <summary>An argv: a non-empty array of strings. A plain string is refused on purpose (no shell).</summary>
    public ValueList<string>? Argv(string key, bool required = false)
    {
        if (Entry(key, required) is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlStringNode single)
        {
            Problems.Error(single.Location, $"{Describe(key)} must be an array of strings (argv), not a shell string", $"write [\"sh\", \"-c\", \"{single.Value}\"] if you need a shell");
            return null;
        }

        var list = AsStringList(entry.Value, Describe(key));
        if (list is { Count: 0 })
        {
            Problems.Error(entry.Value.Location, $"{Describe(key)} must not be empty");
            return null;
        }

        return list;
    }

    /// <summary>One string or an array of strings.</summary>
    public ValueList<string>? StringOrList(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        return entry.Value is TomlStringNode s ? [Context.Interpolate(s)] : AsStringList(entry.Value, Describe(key));
    }

    public ValueList<string>? AsStringList(TomlNode node, string what)
    {
        if (node is not TomlArrayNode array)
        {
            TypeError(node, what, "an array of strings");
            return null;
        }

        var items = new List<string>(array.Items.Count);
        foreach (var item in array.Items)
        {
            if (AsString(item, what + " item") is { } text)
            {
                items.Add(text);
            }
        }

        return items.Count == array.Items.Count ? [.. items] : null;
    }

    /// <summary>A table of string values (numbers and booleans are written as TOML shows them).</summary>
    public ValueDictionary? StringMap(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlTableNode map)
        {
            TypeError(entry.Value, Describe(key), "a table of strings");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in map.Entries)
        {
            var text = item.Value switch
            {
                TomlStringNode s => Context.Interpolate(s),
                TomlIntegerNode i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TomlBooleanNode b => b.Value ? "true" : "false",
                TomlFloatNode f => f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is null)
            {
                TypeError(item.Value, $"{Describe(key)}.{item.Key}", "a string");
                continue;
            }

            result[item.Key] = text;
        }

        return result.ToValueDictionary();
    }

    public TableReader? Subtable(string key, bool required = false)
    {
        if (Entry(key, required) is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlTableNode child)
        {
            return new TableReader(child, Describe(key), Context);
        }

        TypeError(entry.Value, Describe(key), "a table");
        return null;
    }

    public string? AsString(TomlNode node, string what)
    {
        if (node is TomlStringNode s)
        {
            return Context.Interpolate(s);
        }

        TypeError(node, what, "a string");
        return null;
    }

    public void TypeError(TomlNode node, string what, string expected) =>
        Problems.Error(node.Location, $"{what} must be {expected}, not {(node.TypeName.Length > 0 && "aeiou".Contains(node.TypeName[0], StringComparison.Ordinal) ? "an" : "a")} {node.TypeName}");

    /// <summary>Reports every key that no reader asked for.</summary>
    public void Finish()
    {
        foreach (var entry in Table.Entries)
        {
            if (!_known.Contains(entry.Key))
            {
                Problems.Error(entry.KeyLocation, $"unknown key '{entry.Key}' in {(Path.Length == 0 ? "the stack file" : Path)}", DidYouMean.Hint(entry.Key, _known));
            }
        }
    }
}

/// <summary>What every reader of one stack file shares: where problems go and how to interpolate.</summary>
public sealed class ReadContext(ConfigProblems problems, Interpolation interpolation, string baseDirectory)
{
    public ConfigProblems Problems { get; } = problems;

    public Interpolation Interpolation { get; } = interpolation;

    /// <summary>The stack file's directory; relative paths in it are relative to this.</summary>
    public string BaseDirectory { get; } = baseDirectory;

    public string Interpolate(TomlStringNode node) => Interpolation.Apply(node.Value, node.Location, Problems);
}
