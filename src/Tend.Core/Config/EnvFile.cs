using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// Reads <c>.env</c> files as docker compose does: <c>KEY=VALUE</c> lines, <c>#</c> comments,
/// an optional <c>export</c>, single quotes literal, double quotes with <c>\n</c> escapes.
/// </summary>
public static class EnvFile
{
    public static IReadOnlyDictionary<string, string> Parse(string text, string file, ConfigProblems problems)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.Contains('\0', StringComparison.Ordinal))
            {
                // Its values become paths, arguments and environment values, none of which can carry a NUL.
                problems.Error(new SourceLocation(file, i + 1, line.IndexOf('\0', StringComparison.Ordinal) + 1), "a NUL character (\\u0000) in an env file line", "env files are text: remove it");
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                problems.Error(new SourceLocation(file, i + 1, 1), $"not a KEY=VALUE line: \"{line}\"");
                continue;
            }

            values[key] = Unquote(line[(equals + 1)..].Trim());
        }

        return values;
    }

    public static IReadOnlyDictionary<string, string>? Load(string path, SourceLocation from, ConfigProblems problems)
    {
        if (!File.Exists(path))
        {
            problems.Error(from, $"env file {path} does not exist");
            return null;
        }

        try
        {
            return Parse(File.ReadAllText(path), path, problems);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Error(from, $"cannot read env file {path}: {e.Message}");
            return null;
        }
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        // An unquoted value ends at an inline comment.
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        return hash >= 0 ? value[..hash].TrimEnd() : value;
    }
}
