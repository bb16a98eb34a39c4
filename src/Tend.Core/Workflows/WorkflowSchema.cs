using System.Buffers;
using System.Text.Json;
using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Workflows.Schemas;

namespace Tend.Core.Workflows;

/// <summary>
/// <c>tend workflow verify FILE --schema SCHEMA</c>: the YAML document, as JSON, validated against a
/// JSON Schema (<see cref="SchemaValidator"/>). Each error
/// names its JSON pointer and, where the pointer is a node of the file, that node's line:col.
/// </summary>
public static class WorkflowSchema
{
    public static IReadOnlyList<ConfigProblem> Check(string workflowPath, string schemaPath)
    {
        ArgumentNullException.ThrowIfNull(workflowPath);
        ArgumentNullException.ThrowIfNull(schemaPath);
        var problems = new ConfigProblems();
        if (Build(schemaPath, problems) is not { } schema)
        {
            return problems.Items;
        }

        string text;
        try
        {
            text = File.ReadAllText(workflowPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Error(new SourceLocation(workflowPath, 0, 0), $"cannot read the workflow file: {e.Message}");
            return problems.Items;
        }

        // A file that is not YAML is reported by the reader already; the schema has nothing to add.
        if (YamlTree.Parse(text, workflowPath, new ConfigProblems()) is not { } root)
        {
            return problems.Items;
        }

        var places = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(ToJson(root, places));
        foreach (var error in schema.Validate(document.RootElement).Distinct())
        {
            var at = places.TryGetValue(error.Pointer, out var place) ? place : new SourceLocation(workflowPath, 0, 0);
            problems.Error(at, $"{(error.Pointer.Length == 0 ? "/" : error.Pointer)}: {error.Message}", $"{error.Keyword} of {schemaPath}");
        }

        return problems.Sorted();
    }

    private static SchemaValidator? Build(string schemaPath, ConfigProblems problems)
    {
        var here = new SourceLocation(schemaPath, 0, 0);
        string text;
        try
        {
            text = File.ReadAllText(schemaPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problems.Error(here, "schema file not found", "tend's own is docs/workflow.schema.json");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Error(here, $"cannot read the schema file: {e.Message}");
            return null;
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(text, SchemaValidator.Options);
        }
        catch (JsonException e)
        {
            problems.Error(new SourceLocation(schemaPath, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), $"the schema is not valid JSON: {e.Message.Split(" LineNumber", 2)[0]}");
            return null;
        }

        using (parsed)
        {
            var (validator, problem) = SchemaValidator.Read(parsed.RootElement);
            if (validator is null)
            {
                problems.Error(here, $"not a JSON Schema tend can use: {problem}");
            }

            return validator;
        }
    }

    /// <summary>The document as JSON, noting where each JSON pointer was written.</summary>
    private static ReadOnlyMemory<byte> ToJson(TomlTableNode root, Dictionary<string, SourceLocation> places)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root, "", places);
        }

        return buffer.WrittenMemory;
    }

    private static void Write(Utf8JsonWriter writer, TomlNode node, string pointer, Dictionary<string, SourceLocation> places)
    {
        places[pointer] = node.Location;
        switch (node)
        {
            case TomlTableNode table:
                writer.WriteStartObject();
                foreach (var entry in table.Entries)
                {
                    writer.WritePropertyName(entry.Key);
                    Write(writer, entry.Value, $"{pointer}/{entry.Key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}", places);
                }

                writer.WriteEndObject();
                break;
            case TomlArrayNode array:
                writer.WriteStartArray();
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Write(writer, array.Items[i], $"{pointer}/{i}", places);
                }

                writer.WriteEndArray();
                break;
            case TomlStringNode text:
                // The YAML reader doubles each dollar for the shared reader's interpolation; JSON has the text as written.
                writer.WriteStringValue(text.Value.Replace("$$", "$", StringComparison.Ordinal));
                break;
            case TomlIntegerNode integer:
                writer.WriteNumberValue(integer.Value);
                break;
            case TomlFloatNode number:
                writer.WriteNumberValue(number.Value);
                break;
            case TomlBooleanNode boolean:
                writer.WriteBooleanValue(boolean.Value);
                break;
            default:
                writer.WriteStringValue(node.ToString());
                break;
        }
    }
}
