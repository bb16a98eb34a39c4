using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// Builds manifests as YAML nodes and writes them with YamlDotNet's emitter: no reflection, so
/// Native AOT stays clean, and every string that YAML would read as something else is quoted.
/// </summary>
internal static class YamlNodes
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~" };

    /// <summary>A mapping of the entries whose value is not null, in the order given.</summary>
    public static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(Str(key), value);
            }
        }

        return map;
    }

    public static YamlSequenceNode Seq(IEnumerable<YamlNode> items) => new(items);

    public static YamlSequenceNode Strs(IEnumerable<string> items) => new(items.Select(Str));

    /// <summary>Null for an empty list, so that an optional list is left out rather than written empty.</summary>
    public static YamlSequenceNode? SeqOrNull(IReadOnlyCollection<YamlNode> items) => items.Count == 0 ? null : new YamlSequenceNode(items);

    public static YamlScalarNode Str(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var style = text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\t', StringComparison.Ordinal) && !text.Split('\n').Any(l => l.EndsWith(' '))
            ? ScalarStyle.Literal
            : IsPlain(text) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted;
        return new YamlScalarNode(text) { Style = style };
    }

    public static YamlScalarNode Int(long number) => new(number.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    public static YamlScalarNode Bool(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    /// <summary>Documents separated by <c>---</c>, each ending with a newline.</summary>
    public static string Render(IEnumerable<YamlNode> documents)
    {
        var builder = new StringBuilder();
        foreach (var document in documents)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            new YamlStream(new YamlDocument(document)).Save(writer, assignAnchors: false);
            var text = writer.ToString();
            // The emitter closes each stream with "...": one file holds several documents, so "---" separates them instead.
            text = text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
            builder.Append("---\n").Append(text);
        }

        return builder.ToString();
    }

    /// <summary>A string YAML reads back as the same string when written bare: no number, boolean, null or syntax.</summary>
    private static bool IsPlain(string text) =>
        text.Length > 0
        && !Reserved.Contains(text)
        && (char.IsAsciiLetter(text[0]) || text[0] is '/' or '_' or '.')
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
        && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
