using System.Globalization;
using System.Text.Json;

namespace Tend.Core.Workflows.Conditions;

/// <summary>
/// A value while a condition is evaluated. <see cref="Failure"/> carries an evaluation error
/// upwards as a value: a file that is not JSON is the user's problem, not an exception.
/// </summary>
internal abstract record WhenValue
{
    private WhenValue()
    {
    }

    public static readonly WhenValue Null = new NullValue();
    public static readonly WhenValue True = new Boolean(true);
    public static readonly WhenValue False = new Boolean(false);

    public static WhenValue Of(bool value) => value ? True : False;

    public sealed record NullValue : WhenValue;

    public sealed record Boolean(bool Value) : WhenValue;

    public sealed record Number(double Value) : WhenValue;

    public sealed record Text(string Value) : WhenValue;

    /// <summary>An array or an object read by <c>json(path)</c>; only <c>len</c>, <c>contains</c> and field access take one.</summary>
    public sealed record Json(JsonElement Element) : WhenValue;

    public sealed record Failure(string Message) : WhenValue;

    /// <summary>A JSON value as a condition sees it: scalars become values, arrays and objects stay JSON.</summary>
    public static WhenValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Number => new Number(element.GetDouble()),
        JsonValueKind.String => new Text(element.GetString()!),
        JsonValueKind.Array or JsonValueKind.Object => new Json(element),
        _ => Null,
    };

    /// <summary>How an error message names it: "the number 3", "an array of 2 items".</summary>
    public string Describe() => this switch
    {
        NullValue => "null",
        Boolean b => b.Value ? "true" : "false",
        Number n => $"the number {n.Value.ToString(CultureInfo.InvariantCulture)}",
        Text t => $"the string '{t.Value}'",
        Json { Element.ValueKind: JsonValueKind.Array } j => $"an array of {j.Element.GetArrayLength()} items",
        Json j => $"an object with {j.Element.EnumerateObject().Count()} fields",
        Failure f => f.Message,
        _ => GetType().Name,
    };
}
