using Tend.Core.Text;

namespace Tend.Core.Checks;

/// <summary>The shape of a check option's value, which the stack-file reader checks before the kind sees it.</summary>
public enum CheckOptionType
{
    String,
    Integer,
    Boolean,

    /// <summary>A duration such as <c>"500ms"</c>, or a number of seconds.</summary>
    Duration,

    /// <summary>A regular expression, compiled with a match timeout.</summary>
    Pattern,

    /// <summary>A table of strings (numbers and booleans as TOML writes them).</summary>
    StringMap,

    /// <summary>One string or an array of strings.</summary>
    StringOrList,

    /// <summary>One integer or string, or an array of them: the kind reads each item.</summary>
    Scalars,
}

/// <summary>The forms the kind's own value may take (<c>tcp = "host:port"</c>, <c>docker = true</c>, <c>port-free = 8080</c>).</summary>
[Flags]
public enum CheckValueForms
{
    String = 1,
    Integer = 2,

    /// <summary><c>true</c>: the kind's default target.</summary>
    True = 4,

    /// <summary>An array of strings (an argv).</summary>
    StringList = 8,
}

/// <summary>An option a check kind reads, and what its value must be.</summary>
public sealed record CheckOption(string Key, CheckOptionType Type)
{
    public bool Required { get; init; }

    /// <summary>Bounds of an integer option.</summary>
    public long Min { get; init; } = long.MinValue;

    public long Max { get; init; } = long.MaxValue;

    /// <summary>The only words a string option may be; null for any.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    public static CheckOption String(string key, bool required = false) => new(key, CheckOptionType.String) { Required = required };

    public static CheckOption Choice(string key, IReadOnlyList<string> choices) => new(key, CheckOptionType.String) { Choices = choices };

    public static CheckOption Integer(string key, long min, long max) => new(key, CheckOptionType.Integer) { Min = min, Max = max };

    public static CheckOption Boolean(string key) => new(key, CheckOptionType.Boolean);

    public static CheckOption Duration(string key) => new(key, CheckOptionType.Duration);

    public static CheckOption Pattern(string key) => new(key, CheckOptionType.Pattern);

    public static CheckOption StringMap(string key) => new(key, CheckOptionType.StringMap);

    public static CheckOption StringOrList(string key) => new(key, CheckOptionType.StringOrList);

    public static CheckOption Scalars(string key) => new(key, CheckOptionType.Scalars);
}
