using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Config;

/// <summary>
/// Folds a YAML document into the positioned nodes the TOML reader makes, so that a workflow of
/// the orchestrator's YAML format is read by the same <see cref="WorkflowReader"/> with the same
/// messages. Plain scalars take the YAML 1.2 core schema's types (true, 3, 1.5, null); quoted ones
/// stay strings. YamlDotNet's representation model keeps each node's Start mark; no reflection.
/// </summary>
internal static partial class YamlTree
{
    /// <summary>Where a quoted string's text begins (after the quote); strings the YAML reader made are already there.</summary>
    private static readonly ConditionalWeakTable<TomlStringNode, object> AtContent = [];

    /// <summary>The root mapping of <paramref name="text"/>; null (reported) when it does not parse or is no mapping.</summary>
    public static TomlTableNode? Parse(string text, string file, ConfigProblems problems)
    {
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var location = new SourceLocation(file, (int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column));
            if (Clean(e).Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTab(text, file) is { } tab)
            {
                // YamlDotNet marks where the mapping began, not the tab: point at the tab itself.
                location = tab;
            }

            problems.Error(location, $"invalid YAML: {Clean(e)}", TabHint(text, location.Line));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed flow sequences instead of a YamlException.
            problems.Error(new SourceLocation(file, 1, 1), $"invalid YAML: {e.Message}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            problems.Error(new SourceLocation(file, 1, 1), "the file is empty", "a workflow has at least a name and steps");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            problems.Error(At(file, stream.Documents[1].RootNode), "the file holds more than one YAML document", "one workflow a file");
            return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode)
        {
            problems.Error(At(file, root), "a workflow file must be a mapping of keys (name, policy, steps), not a list or a value");
            return null;
        }

        return (TomlTableNode?)Convert(root, file, problems);
    }

    /// <summary>Where the text of a string value begins: inside its quotes.</summary>
    public static SourceLocation ContentStart(TomlStringNode node) =>
        AtContent.TryGetValue(node, out _) ? node.Location : node.Location with { Column = node.Location.Column + 1 };

    public static SourceLocation At(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    private static TomlNode? Convert(YamlNode node, string file, ConfigProblems problems)
    {
        var location = At(file, node);
        switch (node)
        {
            case YamlMappingNode mapping:
                var table = new TomlTableNode(location, isInline: false);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        problems.Error(At(file, key), "a key must be a plain word, not a list or a mapping");
                        continue;
                    }

                    if (table.TryGet(name, out var first))
                    {
                        problems.Error(At(file, key), $"'{name}' is already defined at {first.KeyLocation}");
                        continue;
                    }

                    if (Convert(value, file, problems) is { } converted)
                    {
                        table.Set(new TomlEntry(name, At(file, key), converted));
                    }
                }

                return table;
            case YamlSequenceNode sequence:
                var array = new TomlArrayNode(location, isTableArray: false);
                foreach (var item in sequence.Children)
                {
                    if (Convert(item, file, problems) is { } converted)
                    {
                        array.Add(converted);
                    }
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar, location);
            default:
                problems.Error(location, $"unsupported YAML node {node.NodeType}");
                return null;
        }
    }

    /// <summary>A key with no value (<c>when:</c>) is left out, as if it were not written.</summary>
    private static TomlNode? Scalar(YamlScalarNode scalar, SourceLocation location)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (text is "" or "~" or "null" or "Null" or "NULL")
            {
                return null;
            }

            if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            {
                return new TomlBooleanNode(location, text[0] is 't' or 'T');
            }

            if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return new TomlIntegerNode(location, integer);
            }

            if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return new TomlFloatNode(location, number);
            }
        }

        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        // YAML has no ${VAR}; the shared reader interpolates, so a dollar is doubled to come out as written.
        var node = new TomlStringNode(quoted ? location with { Column = location.Column + 1 } : location, text.Replace("$", "$$", StringComparison.Ordinal));
        AtContent.Add(node, true);
        return node;
    }

    private static string Clean(YamlException e)
    {
        // "(Line: 3, Col: 5, Idx: 40) - (Line: 3, Col: 6, Idx: 41): message": the place is printed apart.
        var message = e.Message;
        var dash = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && dash >= 0 ? message[(dash + 3)..] : message;
    }

    private static SourceLocation? FirstTab(string text, string file)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indentation = lines[i].Length - lines[i].TrimStart().Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indentation)
            {
                return new SourceLocation(file, i + 1, tab + 1);
            }
        }

        return null;
    }

    private static string? TabHint(string text, int line)
    {
        var lines = text.Split('\n');
        return line >= 1 && line <= lines.Length && lines[line - 1].TrimEnd('\r') is var l && l[..(l.Length - l.TrimStart().Length)].Contains('\t', StringComparison.Ordinal)
            ? "YAML indents with spaces, not tabs"
            : null;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
