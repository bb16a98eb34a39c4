using System.Text.Json;

namespace Tend.Core.Workflows.Schemas;

/// <summary>
/// What kind of value each keyword takes (a count is a non-negative integer, a pattern a string…).
/// Checked when the schema is read, so validation can trust it: <c>{"pattern": 5}</c> is refused
/// with why, instead of failing half-way through an artifact's check.
/// </summary>
internal static class SchemaKeywordShape
{
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal) { "object", "array", "string", "number", "integer", "boolean", "null" };

    /// <summary>Why the value of <paramref name="keyword"/> is of the wrong kind, or null when it is right.</summary>
    public static string? Problem(string keyword, JsonElement value, string where)
    {
        var expected = keyword switch
        {
            "$ref" or "pattern" => value.ValueKind == JsonValueKind.String ? null : "a string",
            "minLength" or "maxLength" or "minItems" or "maxItems" or "minProperties" or "maxProperties" =>
                value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0 ? null : "a whole number, 0 or more",
            "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out _) ? null : "a number",
            "multipleOf" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var step) && step > 0 ? null : "a number above 0",
            "uniqueItems" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "true or false",
            "enum" => value.ValueKind == JsonValueKind.Array ? null : "an array of values",
            "required" => IsArrayOfStrings(value) ? null : "an array of property names (strings)",
            "type" => IsTypeName(value) || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(IsTypeName)) ? null : $"a type name or an array of them ({string.Join(", ", TypeNames)})",
            "properties" or "patternProperties" or "$defs" or "definitions" => value.ValueKind == JsonValueKind.Object ? null : "an object of schemas",
            "dependentRequired" => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => IsArrayOfStrings(p.Value)) ? null : "an object of arrays of property names",
            "allOf" or "anyOf" or "oneOf" or "prefixItems" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 ? null : "a non-empty array of schemas",
            _ => null,
        };
        if (expected is not null)
        {
            return $"{where}/{keyword}: must be {expected}, found {value.GetRawText()}";
        }

        return keyword == "patternProperties" && value.EnumerateObject().FirstOrDefault(p => !IsRegex(p.Name)) is { Name: { } bad }
            ? $"{where}/patternProperties: '{bad}' is not a regular expression"
            : null;
    }

    private static bool IsTypeName(JsonElement value) => value.ValueKind == JsonValueKind.String && TypeNames.Contains(value.GetString()!);

    private static bool IsArrayOfStrings(JsonElement value) => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String);

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
