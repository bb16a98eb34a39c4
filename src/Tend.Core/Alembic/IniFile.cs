using System.Text;

namespace Tend.Core.Alembic;

/// <summary>
/// The part of Python's <c>configparser</c> that alembic.ini needs: sections, <c>key = value</c>
/// or <c>key: value</c> (keys are case-insensitive), indented continuation lines, full-line
/// <c>#</c>/<c>;</c> comments (a <c>#</c> after a value is part of the value, as configparser
/// keeps it), and <c>%(name)s</c> interpolation from the same section, <c>[DEFAULT]</c> and the
/// defaults alembic passes (<c>here</c>, the ini's directory).
/// </summary>
public sealed class IniFile
{
    private const int MaxInterpolationDepth = 10;

    private readonly Dictionary<string, Dictionary<string, string>> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _defaults = new(StringComparer.Ordinal);

    private IniFile()
    {
    }

    public bool HasSection(string section) => _sections.ContainsKey(section);

    /// <summary>The sections, in no particular order: for a message that lists what there is.</summary>
    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>Parses the text; on failure returns null and the line and reason.</summary>
    public static IniFile? Parse(string text, IReadOnlyDictionary<string, string> defaults, out int errorLine, out string? error)
    {
        var ini = new IniFile();
        foreach (var (key, value) in defaults)
        {
            ini._defaults[key.ToLowerInvariant()] = value;
        }

        errorLine = 0;
        error = null;
        Dictionary<string, string>? section = null;
        string? option = null;
        var optionIndent = 0;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var stripped = line.Trim();
            var indent = line.Length - line.TrimStart().Length;
            if (stripped.StartsWith('#') || stripped.StartsWith(';'))
            {
                continue;
            }

            if (stripped.Length == 0)
            {
                // configparser keeps empty lines inside a multi-line value and trims them at its end.
                if (section is not null && option is not null)
                {
                    section[option] += "\n";
                }

                continue;
            }

            if (section is not null && option is not null && indent > optionIndent)
            {
                section[option] = section[option].TrimEnd('\n') + "\n" + stripped;
                continue;
            }

            if (stripped.StartsWith('[') && stripped.EndsWith(']'))
            {
                var name = stripped[1..^1];
                option = null;
                if (name == "DEFAULT")
                {
                    section = ini._defaults;
                    continue;
                }

                if (ini._sections.ContainsKey(name))
                {
                    (errorLine, error) = (i + 1, $"section [{name}] appears twice");
                    return null;
                }

                section = new Dictionary<string, string>(StringComparer.Ordinal);
                ini._sections[name] = section;
                continue;
            }

            if (section is null)
            {
                (errorLine, error) = (i + 1, "a line before the first [section] header");
                return null;
            }

            var delimiter = stripped.IndexOfAny(['=', ':']);
            if (delimiter <= 0)
            {
                (errorLine, error) = (i + 1, $"'{stripped}' is neither a [section], a key = value line nor a comment");
                return null;
            }

            var key = stripped[..delimiter].TrimEnd().ToLowerInvariant();
            if (section != ini._defaults && section.ContainsKey(key))
            {
                (errorLine, error) = (i + 1, $"key '{key}' appears twice in its section");
                return null;
            }

            section[key] = stripped[(delimiter + 1)..].Trim();
            option = key;
            optionIndent = indent;
        }

        foreach (var values in ini._sections.Values.Append(ini._defaults))
        {
            foreach (var key in values.Keys.ToList())
            {
                values[key] = values[key].TrimEnd('\n');
            }
        }

        return ini;
    }

    /// <summary>The interpolated value, null when absent; <paramref name="error"/> says why interpolation failed.</summary>
    public string? Get(string section, string key, out string? error)
    {
        error = null;
        if (!_sections.TryGetValue(section, out var values))
        {
            return null;
        }

        var raw = Lookup(values, key.ToLowerInvariant());
        return raw is null ? null : Interpolate(values, key, raw, 1, out error);
    }

    private string? Lookup(Dictionary<string, string> section, string key) =>
        section.TryGetValue(key, out var value) ? value : _defaults.GetValueOrDefault(key);

    private string? Interpolate(Dictionary<string, string> section, string key, string raw, int depth, out string? error)
    {
        error = null;
        if (depth > MaxInterpolationDepth)
        {
            error = $"'{key}' refers to itself through %(...)s more than {MaxInterpolationDepth} levels deep";
            return null;
        }

        var output = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                output.Append(raw[i]);
                continue;
            }

            if (i + 1 < raw.Length && raw[i + 1] == '%')
            {
                output.Append('%');
                i++;
                continue;
            }

            var close = i + 1 < raw.Length && raw[i + 1] == '(' ? raw.IndexOf(")s", i + 2, StringComparison.Ordinal) : -1;
            if (close < 0)
            {
                error = $"'{key}': '%' must be followed by '%' or '(name)s'";
                return null;
            }

            var name = raw[(i + 2)..close].ToLowerInvariant();
            if (Lookup(section, name) is not { } referenced)
            {
                error = $"'{key}' refers to %({name})s, which is not set";
                return null;
            }

            if (Interpolate(section, name, referenced, depth + 1, out error) is not { } expanded)
            {
                return null;
            }

            output.Append(expanded);
            i = close + 1;
        }

        return output.ToString();
    }
}
