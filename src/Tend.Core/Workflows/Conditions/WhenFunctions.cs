using System.Text.Json;

namespace Tend.Core.Workflows.Conditions;

/// <summary>The functions a condition may call (docs/workflows.md, "Functions").</summary>
internal static class WhenFunctions
{
    /// <summary>Each function's number of arguments and their names, checked when the condition is parsed.</summary>
    public static readonly IReadOnlyDictionary<string, (int Count, string Names)> Arity = new Dictionary<string, (int, string)>
    {
        ["exists"] = (1, "path"),
        ["has_errors"] = (1, "path"),
        ["json"] = (1, "path"),
        ["len"] = (1, "value"),
        ["contains"] = (2, "haystack, needle"),
    };

    public static WhenValue Call(string function, IReadOnlyList<WhenValue> arguments, IWhenContext context) => function switch
    {
        "exists" => WithPath(function, arguments[0], context, (full, _) => WhenValue.Of(File.Exists(full) || Directory.Exists(full))),
        "has_errors" => WithPath(function, arguments[0], context, LintArtifact.HasErrors),
        "json" => WithPath(function, arguments[0], context, Json),
        "len" => Length(arguments[0]),
        "contains" => Contains(arguments[0], arguments[1]),
        _ => throw new InvalidOperationException($"the parser let through an unknown function {function}"),
    };

    /// <summary>A relative path resolves against the workflow's directory; an absolute one is used as is.</summary>
    private static WhenValue WithPath(string function, WhenValue path, IWhenContext context, Func<string, string, WhenValue> read) =>
        path is WhenValue.Text { Value.Length: > 0 } text
            ? read(Path.GetFullPath(Path.Combine(context.Directory, text.Value)), text.Value)
            : new WhenValue.Failure($"{function} takes a path as a string, not {path.Describe()}");

    private static WhenValue Json(string fullPath, string written)
    {
        var (bytes, error) = JsonFile.ReadBytes(fullPath, written);
        if (bytes is null)
        {
            return new WhenValue.Failure($"json: {error}");
        }

        var (root, problem) = JsonFile.Parse(bytes);
        return problem is null
            ? WhenValue.FromJson(root)
            : new WhenValue.Failure($"json: {written} is not JSON: {problem}");
    }

    private static WhenValue Length(WhenValue value) => value switch
    {
        WhenValue.Text text => new WhenValue.Number(text.Value.Length),
        WhenValue.Json { Element.ValueKind: JsonValueKind.Array } array => new WhenValue.Number(array.Element.GetArrayLength()),
        WhenValue.Json json => new WhenValue.Number(json.Element.EnumerateObject().Count()),
        _ => new WhenValue.Failure($"len takes a string, an array or an object, not {value.Describe()}"),
    };

    private static WhenValue Contains(WhenValue haystack, WhenValue needle) => (haystack, needle) switch
    {
        (WhenValue.Text text, WhenValue.Text part) => WhenValue.Of(text.Value.Contains(part.Value, StringComparison.Ordinal)),
        (WhenValue.Text, _) => new WhenValue.Failure($"contains looks for a string in a string, not for {needle.Describe()}"),
        (WhenValue.Json { Element.ValueKind: JsonValueKind.Array } array, _) =>
            WhenValue.Of(array.Element.EnumerateArray().Any(item => WhenEvaluator.AreEqual(WhenValue.FromJson(item), needle))),
        _ => new WhenValue.Failure($"contains looks in a string or an array, not in {haystack.Describe()}"),
    };
}
