using System.Text.Json;
using Tend.Core.Model;

namespace Tend.Core.Rounds;

/// <summary>
/// Dotted paths into a JSON value, e.g. <c>rate_limit_info.resetsAt</c>; a number segment
/// indexes an array (<c>message.content.0.text</c>). Enough to point at a field of an agent's
/// stream-JSON line without a query language.
/// </summary>
public static class JsonPath
{
    /// <summary>A path is usable when none of its segments is empty.</summary>
    public static bool IsValid(string path)
    {
        var text = path.AsSpan();
        foreach (var range in text.Split('.'))
        {
            if (text[range].IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryGet(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        var text = path.AsSpan();
        foreach (var range in text.Split('.'))
        {
            var segment = text[range];
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment, out var child))
            {
                value = child;
            }
            else if (value.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < value.GetArrayLength())
            {
                value = value[index];
            }
            else
            {
                value = default;
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A scalar as a stack file writes it: a string as is, a number by its JSON text, <c>true</c>,
    /// <c>false</c>, <c>null</c>. Objects and arrays have no text, so no condition matches them.
    /// </summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => null,
    };

    public static bool Holds(JsonElement root, JsonCondition condition) =>
        TryGet(root, condition.Path, out var value) && Text(value) == condition.Expected;
}
