using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Checks;

/// <summary>An option's value as read, and where it was written.</summary>
/// <param name="Value">A string, a long, a bool, a <see cref="TimeSpan"/>, a <see cref="Text.Pattern"/>, a string list or map, or a list of <see cref="CheckScalar"/>s, by the option's type.</param>
public sealed record CheckArgument(object Value, SourceLocation Location);

/// <summary>One item of a <see cref="CheckOptionType.Scalars"/> option: a long or a string.</summary>
public sealed record CheckScalar(object Value, SourceLocation Location);

/// <summary>
/// What a check kind gets to make a check of: its value and its options, already read and
/// type-checked against its declaration, and a way to report what is still wrong with them.
/// </summary>
public sealed class CheckArguments(
    string path,
    string kindKey,
    CheckArgument value,
    IReadOnlyDictionary<string, CheckArgument> options,
    SourceLocation tableLocation,
    Action<SourceLocation, string, string?> error)
{
    /// <summary>The kind's value: a string, a long, <c>true</c>, or a string list, by its declared forms.</summary>
    public object Value => value.Value;

    /// <summary>The kind's value for messages, e.g. <c>components.api.health.http</c>.</summary>
    public string What => Describe(kindKey);

    public string Describe(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public bool Has(string key) => options.ContainsKey(key);

    public string? String(string key) => Get<string>(key);

    public long? Integer(string key) => options.TryGetValue(key, out var found) ? (long)found.Value : null;

    public bool? Boolean(string key) => options.TryGetValue(key, out var found) ? (bool)found.Value : null;

    public TimeSpan? Duration(string key) => options.TryGetValue(key, out var found) ? (TimeSpan)found.Value : null;

    public Pattern? Pattern(string key) => Get<Pattern>(key);

    public ValueDictionary? StringMap(string key) => Get<ValueDictionary>(key);

    public ValueList<string>? StringList(string key) => Get<ValueList<string>>(key);

    public IReadOnlyList<CheckScalar>? Scalars(string key) => Get<IReadOnlyList<CheckScalar>>(key);

    /// <summary>Reports a problem with the kind's value.</summary>
    public void Error(string message, string? hint = null) => error(value.Location, message, hint);

    /// <summary>Reports a problem with an option, at the option (or at the table when it is absent).</summary>
    public void ErrorAt(string key, string message, string? hint = null) =>
        error(options.TryGetValue(key, out var found) ? found.Location : tableLocation, message, hint);

    /// <summary>Reports a problem at a place of its own, such as one item of a list.</summary>
    public void ErrorAt(SourceLocation location, string message, string? hint = null) => error(location, message, hint);

    private T? Get<T>(string key) where T : class => options.TryGetValue(key, out var found) ? (T)found.Value : null;
}
