using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Tend.Core.Alembic;

/// <summary>The <c>[tool.alembic]</c> table of a pyproject.toml (alembic >= 1.16), its values as alembic's ini would give them: lists joined with spaces.</summary>
public static class PyprojectTable
{
    public static Dictionary<string, string>? Read(string path, out string? error)
    {
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: {e.Message}";
            return null;
        }

        var document = SyntaxParser.Parse(text, path, validate: true);
        if (document.HasErrors)
        {
            error = $"{path}: {document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error)}";
            return null;
        }

        // The syntax tree, not a model: Tomlyn's models are built by reflection, which native AOT does not have.
        var table = document.Tables.FirstOrDefault(t => t.Name?.ToString().Trim() == "tool.alembic");
        if (table is null)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in table.Items.OfType<KeyValueSyntax>())
        {
            if (item.Key?.ToString().Trim() is { Length: > 0 } key)
            {
                values[key] = item.Value switch
                {
                    ArraySyntax list => string.Join(' ', list.Items.Select(i => Text(i.Value))),
                    var single => Text(single),
                };
            }
        }

        return values;
    }

    /// <summary>The script_location a pyproject.toml sets; null when the file, the table or the key is missing.</summary>
    public static string? ScriptLocation(string path) =>
        File.Exists(path) && Read(path, out _) is { } table && table.TryGetValue("script_location", out var location) ? location : null;

    private static string Text(ValueSyntax? value) => value switch
    {
        StringValueSyntax text => text.Value ?? "",
        BooleanValueSyntax flag => flag.Value ? "true" : "false",
        _ => value?.ToString()?.Trim() ?? "",
    };
}
