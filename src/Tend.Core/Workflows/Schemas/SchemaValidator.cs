using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tend.Core.Workflows.Schemas;

/// <summary>One way a document does not match its schema: where (a JSON pointer), which keyword, and why.</summary>
public sealed record SchemaError(string Pointer, string Keyword, string Message);

/// <summary>
/// A JSON Schema (2020-12, and the draft-07 spellings <c>definitions</c> and array <c>items</c>)
/// over the keywords artifacts and workflow files use: types, enum and const, the object, array,
/// string and number constraints, allOf/anyOf/oneOf/not, if/then/else, and <c>$ref</c> within the
/// schema. A keyword outside that set is refused when the schema is read, never silently ignored.
/// </summary>
/// <remarks>
/// Hand-written because JsonSchema.Net, the AOT-clean library, runs a module initializer that
/// builds every draft's meta-schema at process start: in a Native AOT binary that ran before every
/// command, `tend --version` included (496 → 1,198 page faults, 20 → 24 MB, +15 ms), for a feature
/// only workflows with schemas use.
/// </remarks>
public sealed class SchemaValidator
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$anchor", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "format", "$defs", "definitions", "contentMediaType", "contentEncoding",
    };

    private static readonly HashSet<string> Assertions = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties",
        "items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains",
        "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "dependentRequired",
    };

    private readonly JsonElement _root;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    private SchemaValidator(JsonElement root) => _root = root;

    /// <summary>The validator, or why the text is not a schema it can use.</summary>
    public static (SchemaValidator? Validator, string? Problem) Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            return (null, $"not JSON: {e.Message}");
        }
    }

    /// <summary>The validator of a schema already parsed (with <see cref="Options"/>), or why it cannot use it.</summary>
    public static (SchemaValidator? Validator, string? Problem) Read(JsonElement schema)
    {
        var root = schema.Clone();
        var validator = new SchemaValidator(root);
        return validator.Check(root, "#") is { } problem ? (null, problem) : (validator, null);
    }

    /// <summary>How schema files are parsed: comments and trailing commas allowed, as editors write them.</summary>
    public static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Every way <paramref name="instance"/> fails the schema; empty when it matches.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement instance)
    {
        var errors = new List<SchemaError>();
        Evaluate(_root, instance, "", errors, 0);
        return errors;
    }

    /// <summary>Refuses keywords it does not know and references it cannot follow, anywhere in the schema.</summary>
    private string? Check(JsonElement schema, string where)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return null;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return $"{where}: a schema is an object or a boolean";
        }

        foreach (var property in schema.EnumerateObject())
        {
            if (!Annotations.Contains(property.Name) && !Assertions.Contains(property.Name))
            {
                return $"{where}: the keyword '{property.Name}' is not one tend checks (it checks {string.Join(", ", Assertions.Order(StringComparer.Ordinal))})";
            }

            var problem = SchemaKeywordShape.Problem(property.Name, property.Value, where) ?? property.Name switch
            {
                "$ref" => Resolve(property.Value.GetString() ?? "") is null ? $"{where}/$ref: '{property.Value}' is not a reference within this schema (#/$defs/NAME)" : null,
                "pattern" => Pattern(property.Value.GetString() ?? "") is null ? $"{where}/pattern: not a regular expression" : null,
                "properties" or "patternProperties" or "$defs" or "definitions" or "dependentRequired" => Each(property.Value, $"{where}/{property.Name}", property.Name != "dependentRequired"),
                "items" when property.Value.ValueKind == JsonValueKind.Array => Each(property.Value, $"{where}/items", true),
                "allOf" or "anyOf" or "oneOf" or "prefixItems" => Each(property.Value, $"{where}/{property.Name}", true),
                "additionalProperties" or "items" or "additionalItems" or "not" or "if" or "then" or "else" or "contains" or "propertyNames" => Check(property.Value, $"{where}/{property.Name}"),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private string? Each(JsonElement holder, string where, bool schemas)
    {
        if (!schemas)
        {
            return null;
        }

        var children = holder.ValueKind == JsonValueKind.Array
            ? holder.EnumerateArray().Select((v, i) => (v, $"{where}/{i}"))
            : holder.ValueKind == JsonValueKind.Object ? holder.EnumerateObject().Select(p => (p.Value, $"{where}/{p.Name}")) : [];
        return children.Select(c => Check(c.Item1, c.Item2)).FirstOrDefault(p => p is not null);
    }

    private JsonElement? Resolve(string reference)
    {
        if (reference == "#")
        {
            return _root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var at = _root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (at.ValueKind == JsonValueKind.Object && at.TryGetProperty(token, out var next))
            {
                at = next;
            }
            else if (at.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < at.GetArrayLength())
            {
                at = at[index];
            }
            else
            {
                return null;
            }
        }

        return at;
    }

    private Regex? Pattern(string pattern)
    {
        if (_patterns.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }

        _patterns[pattern] = regex;
        return regex;
    }

    private void Evaluate(JsonElement schema, JsonElement instance, string pointer, List<SchemaError> errors, int depth)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False || depth > 64)
        {
            errors.Add(new SchemaError(pointer, "false", depth > 64 ? "the schema's references go round in a loop" : "no value is allowed here"));
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case "$ref":
                    Evaluate(Resolve(value.GetString()!)!.Value, instance, pointer, errors, depth + 1);
                    break;
                case "type":
                    var types = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(t => t.GetString()!).ToList() : [value.GetString()!];
                    if (!types.Any(t => IsType(instance, t)))
                    {
                        errors.Add(new SchemaError(pointer, "type", $"expected {string.Join(" or ", types)}, found {TypeOf(instance)}"));
                    }

                    break;
                case "enum":
                    if (!value.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
                    {
                        errors.Add(new SchemaError(pointer, "enum", $"expected one of {value.GetRawText()}, found {Short(instance)}"));
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(value, instance))
                    {
                        errors.Add(new SchemaError(pointer, "const", $"expected {value.GetRawText()}, found {Short(instance)}"));
                    }

                    break;
                case "allOf":
                    foreach (var part in value.EnumerateArray())
                    {
                        Evaluate(part, instance, pointer, errors, depth + 1);
                    }

                    break;
                case "anyOf" or "oneOf":
                    var matching = value.EnumerateArray().Count(part => Matches(part, instance, pointer, depth));
                    if (matching == 0 || (keyword.Name == "oneOf" && matching > 1))
                    {
                        errors.Add(new SchemaError(pointer, keyword.Name, matching == 0 ? $"matches none of the {value.GetArrayLength()} alternatives" : $"matches {matching} of the alternatives, and must match exactly one"));
                    }

                    break;
                case "not":
                    if (Matches(value, instance, pointer, depth))
                    {
                        errors.Add(new SchemaError(pointer, "not", "matches a schema it must not"));
                    }

                    break;
                case "if":
                    var branch = Matches(value, instance, pointer, depth) ? "then" : "else";
                    if (schema.TryGetProperty(branch, out var chosen))
                    {
                        Evaluate(chosen, instance, pointer, errors, depth + 1);
                    }

                    break;
                default:
                    EvaluateByType(keyword.Name, value, schema, instance, pointer, errors, depth);
                    break;
            }
        }
    }

    private bool Matches(JsonElement schema, JsonElement instance, string pointer, int depth)
    {
        var errors = new List<SchemaError>();
        Evaluate(schema, instance, pointer, errors, depth + 1);
        return errors.Count == 0;
    }

    private void EvaluateByType(string keyword, JsonElement value, JsonElement schema, JsonElement instance, string pointer, List<SchemaError> errors, int depth)
    {
        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ObjectKeyword(keyword, value, schema, instance, pointer, errors, depth);
                break;
            case JsonValueKind.Array:
                ArrayKeyword(keyword, value, schema, instance, pointer, errors, depth);
                break;
            case JsonValueKind.String:
                var text = instance.GetString()!;
                var length = new StringInfo(text).LengthInTextElements;
                if ((keyword == "minLength" && length < value.GetInt32()) || (keyword == "maxLength" && length > value.GetInt32()))
                {
                    errors.Add(new SchemaError(pointer, keyword, $"{length} characters, {keyword} is {value.GetInt32()}"));
                }
                else if (keyword == "pattern" && !Pattern(value.GetString()!)!.IsMatch(text))
                {
                    errors.Add(new SchemaError(pointer, keyword, $"{Short(instance)} does not match {value.GetString()}"));
                }

                break;
            case JsonValueKind.Number:
                NumberKeyword(keyword, value, instance.GetDecimal(), pointer, errors);
                break;
        }
    }

    private void ObjectKeyword(string keyword, JsonElement value, JsonElement schema, JsonElement instance, string pointer, List<SchemaError> errors, int depth)
    {
        switch (keyword)
        {
            case "properties":
                foreach (var property in value.EnumerateObject())
                {
                    if (instance.TryGetProperty(property.Name, out var child))
                    {
                        Evaluate(property.Value, child, Child(pointer, property.Name), errors, depth + 1);
                    }
                }

                break;
            case "patternProperties":
                foreach (var property in instance.EnumerateObject())
                {
                    foreach (var pattern in value.EnumerateObject().Where(p => Pattern(p.Name)!.IsMatch(property.Name)))
                    {
                        Evaluate(pattern.Value, property.Value, Child(pointer, property.Name), errors, depth + 1);
                    }
                }

                break;
            case "additionalProperties":
                foreach (var property in instance.EnumerateObject().Where(p => !IsDeclared(schema, p.Name)))
                {
                    if (value.ValueKind == JsonValueKind.False)
                    {
                        errors.Add(new SchemaError(Child(pointer, property.Name), keyword, $"'{property.Name}' is not allowed here"));
                    }
                    else
                    {
                        Evaluate(value, property.Value, Child(pointer, property.Name), errors, depth + 1);
                    }
                }

                break;
            case "propertyNames":
                foreach (var property in instance.EnumerateObject())
                {
                    using var name = JsonDocument.Parse($"\"{JsonEncodedText.Encode(property.Name)}\"");
                    Evaluate(value, name.RootElement, Child(pointer, property.Name), errors, depth + 1);
                }

                break;
            case "required":
                foreach (var name in value.EnumerateArray().Select(n => n.GetString()!).Where(n => !instance.TryGetProperty(n, out _)))
                {
                    errors.Add(new SchemaError(pointer, keyword, $"'{name}' is required"));
                }

                break;
            case "dependentRequired":
                foreach (var rule in value.EnumerateObject().Where(r => instance.TryGetProperty(r.Name, out _)))
                {
                    foreach (var name in rule.Value.EnumerateArray().Select(n => n.GetString()!).Where(n => !instance.TryGetProperty(n, out _)))
                    {
                        errors.Add(new SchemaError(pointer, keyword, $"'{name}' is required with '{rule.Name}'"));
                    }
                }

                break;
            case "minProperties" or "maxProperties":
                var count = instance.EnumerateObject().Count();
                if ((keyword == "minProperties" && count < value.GetInt32()) || (keyword == "maxProperties" && count > value.GetInt32()))
                {
                    errors.Add(new SchemaError(pointer, keyword, $"{count} properties, {keyword} is {value.GetInt32()}"));
                }

                break;
        }
    }

    private bool IsDeclared(JsonElement schema, string name) =>
        (schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out _))
        || (schema.TryGetProperty("patternProperties", out var patterns) && patterns.EnumerateObject().Any(p => Pattern(p.Name)!.IsMatch(name)));

    private void ArrayKeyword(string keyword, JsonElement value, JsonElement schema, JsonElement instance, string pointer, List<SchemaError> errors, int depth)
    {
        var items = instance.EnumerateArray().ToList();
        var prefix = schema.TryGetProperty("prefixItems", out var prefixItems) ? prefixItems.GetArrayLength()
            : schema.TryGetProperty("items", out var tuple) && tuple.ValueKind == JsonValueKind.Array ? tuple.GetArrayLength() : 0;
        switch (keyword)
        {
            case "prefixItems":
            case "items" when value.ValueKind == JsonValueKind.Array:
                for (var i = 0; i < Math.Min(items.Count, value.GetArrayLength()); i++)
                {
                    Evaluate(value[i], items[i], Child(pointer, i.ToString(CultureInfo.InvariantCulture)), errors, depth + 1);
                }

                break;
            case "items":
            case "additionalItems" when prefix > 0:
                for (var i = prefix; i < items.Count; i++)
                {
                    Evaluate(value, items[i], Child(pointer, i.ToString(CultureInfo.InvariantCulture)), errors, depth + 1);
                }

                break;
            case "contains":
                if (!items.Any(item => Matches(value, item, pointer, depth)))
                {
                    errors.Add(new SchemaError(pointer, keyword, "no item matches what it must contain"));
                }

                break;
            case "minItems" or "maxItems":
                if ((keyword == "minItems" && items.Count < value.GetInt32()) || (keyword == "maxItems" && items.Count > value.GetInt32()))
                {
                    errors.Add(new SchemaError(pointer, keyword, $"{items.Count} items, {keyword} is {value.GetInt32()}"));
                }

                break;
            case "uniqueItems" when value.ValueKind == JsonValueKind.True:
                for (var i = 1; i < items.Count; i++)
                {
                    if (items.Take(i).Any(earlier => JsonElement.DeepEquals(earlier, items[i])))
                    {
                        errors.Add(new SchemaError(Child(pointer, i.ToString(CultureInfo.InvariantCulture)), keyword, "repeats an earlier item"));
                    }
                }

                break;
        }
    }

    private static void NumberKeyword(string keyword, JsonElement value, decimal number, string pointer, List<SchemaError> errors)
    {
        if (keyword is not ("minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" or "multipleOf") || value.ValueKind != JsonValueKind.Number)
        {
            return;
        }

        var limit = value.GetDecimal();
        var fails = keyword switch
        {
            "minimum" => number < limit,
            "maximum" => number > limit,
            "exclusiveMinimum" => number <= limit,
            "exclusiveMaximum" => number >= limit,
            _ => limit != 0 && number % limit != 0,
        };
        if (fails)
        {
            errors.Add(new SchemaError(pointer, keyword, $"{number.ToString(CultureInfo.InvariantCulture)} fails {keyword} {limit.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    private static bool IsType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static string TypeOf(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => IsType(instance, "integer") ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Short(JsonElement instance)
    {
        var text = instance.GetRawText();
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    private static string Child(string pointer, string token) => $"{pointer}/{token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
}
