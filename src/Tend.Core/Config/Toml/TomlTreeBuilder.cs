using Tend.Core.Model;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Tend.Core.Config.Toml;

/// <summary>
/// Folds Tomlyn's lossless syntax tree into <see cref="TomlTableNode"/>s that keep a position for
/// every key and value. Tomlyn validates the document (duplicate keys, redefined tables), so this
/// only has to follow headers and dotted keys to the right table; it records the full path of
/// each key so that a duplicate Tomlyn reports can be checked by its strings
/// (<see cref="DuplicateKeyGuard"/>).
/// </summary>
public static class TomlTreeBuilder
{
    public static TomlTableNode? Parse(string text, string fileName, ConfigProblems problems)
    {
        if (ParseValid(text, fileName, problems) is not { } document)
        {
            return null;
        }

        return new Builder(fileName, problems).Build(document);
    }

    /// <summary>The document when it is valid TOML; else null, with its first error in <paramref name="problems"/>.</summary>
    private static DocumentSyntax? ParseValid(string text, string fileName, ConfigProblems problems)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, fileName, validate: true);
        }
        catch (TomlException e)
        {
            // Tomlyn stops at its depth limit by throwing, with no position: find the place ourselves.
            if (NestingDepth.FindTooDeep(text, NestingDepth.Max) is { } offset)
            {
                problems.Error(LocateOffset(fileName, text, offset), $"invalid TOML: values nested deeper than {NestingDepth.Max} levels", "flatten the value; no setting of a stack nests this deep");
            }
            else
            {
                problems.Error(new SourceLocation(fileName, e.Line is > 0 and { } line ? line : 1, e.Column is > 0 and { } column ? column : 1), $"invalid TOML: {Clean(e.Message)}");
            }

            return null;
        }

        if (!document.HasErrors)
        {
            return document;
        }

        // After the first syntax error the parser's recovery reports echoes of it; the first is the one to fix.
        var errors = document.Diagnostics.Where(m => m.Kind == DiagnosticMessageKind.Error).OrderBy(m => m.Span.Start.Offset).ToList();
        var folded = new Builder(fileName, new ConfigProblems());
        folded.Build(document);
        if (errors.FirstOrDefault(e => !DuplicateKeyGuard.IsFalseDuplicate(e, folded.Paths)) is not { } first)
        {
            return document;
        }

        problems.Error(Locate(fileName, first.Span.Start), $"invalid TOML: {Clean(first.Message)}");
        return null;
    }

    /// <summary>
    /// What can be read of a document that has syntax errors, from the parser's recovered tree:
    /// enough to find <c>[stack] state_dir</c> of a file broken while its stack runs. Nothing is reported.
    /// </summary>
    public static TomlTableNode ParseLeniently(string text, string fileName)
    {
        var document = SyntaxParser.Parse(text, fileName, validate: false);
        return new Builder(fileName, new ConfigProblems()).Build(document);
    }

    private static SourceLocation LocateOffset(string file, string text, int offset)
    {
        var before = text.AsSpan(0, Math.Min(offset, text.Length));
        var line = before.Count('\n');
        var lineStart = before.LastIndexOf('\n') + 1;
        return new SourceLocation(file, line + 1, before.Length - lineStart + 1);
    }

    internal static SourceLocation Locate(string file, TextPosition position) =>
        new(file, position.Line + 1, position.Column + 1);

    // Tomlyn prefixes messages with the span again; users already get it from the location.
    private static string Clean(string message)
    {
        var text = message.Trim();
        return text.EndsWith('.') ? text[..^1] : text;
    }

    private sealed class Builder(string file, ConfigProblems problems)
    {
        /// <summary>The full path of every key, header and header name, by where it starts (1-based): elements of table arrays as "[n]".</summary>
        public Dictionary<(int Line, int Column), IReadOnlyList<string>> Paths { get; } = [];

        private void Record(TextPosition at, List<string> path) => Paths[(at.Line + 1, at.Column + 1)] = [.. path];

        public TomlTableNode Build(DocumentSyntax document)
        {
            var root = new TomlTableNode(new SourceLocation(file, 1, 1), isInline: false);
            foreach (var keyValue in document.KeyValues)
            {
                AddKeyValue(root, keyValue, []);
            }

            foreach (var table in document.Tables)
            {
                var walked = new List<string>();
                var target = OpenHeader(root, table, walked);
                if (target is null)
                {
                    continue;
                }

                Record(table.Span.Start, walked);
                Record(table.Name!.Span.Start, walked);
                foreach (var keyValue in table.Items)
                {
                    AddKeyValue(target, keyValue, walked);
                }
            }

            return root;
        }

        private TomlTableNode? OpenHeader(TomlTableNode root, TableSyntaxBase header, List<string> walked)
        {
            // Only a recovered tree (ParseLeniently) has a header without a name, or a key without a value.
            if (header.Name is null)
            {
                return null;
            }

            if (KeyPath(header.Name) is not { } path)
            {
                return null;
            }

            var current = root;
            for (var i = 0; i < path.Count - 1; i++)
            {
                var next = Descend(current, path[i], implicitTable: true, walked);
                if (next is null)
                {
                    return null;
                }

                current = next;
            }

            var (lastKey, lastLocation) = path[^1];
            var headerLocation = Locate(file, header.Span.Start);
            if (header is TableArraySyntax)
            {
                TomlArrayNode array;
                if (current.TryGet(lastKey, out var existing))
                {
                    if (existing.Value is not TomlArrayNode { IsTableArray: true } found)
                    {
                        problems.Error(lastLocation, $"'{lastKey}' is already defined as a {existing.Value.TypeName}");
                        return null;
                    }

                    array = found;
                }
                else
                {
                    array = new TomlArrayNode(headerLocation, isTableArray: true);
                    current.Set(new TomlEntry(lastKey, lastLocation, array));
                }

                var element = new TomlTableNode(headerLocation, isInline: false);
                array.Add(element);
                walked.AddRange([lastKey, $"[{array.Items.Count - 1}]"]);
                return element;
            }

            if (current.TryGet(lastKey, out var defined))
            {
                if (defined.Value is TomlTableNode { IsImplicit: true } implicitTable)
                {
                    implicitTable.IsImplicit = false;
                    walked.Add(lastKey);
                    return implicitTable;
                }

                problems.Error(lastLocation, $"'{lastKey}' is already defined at {defined.KeyLocation}");
                return null;
            }

            var table = new TomlTableNode(headerLocation, isInline: false);
            current.Set(new TomlEntry(lastKey, lastLocation, table));
            walked.Add(lastKey);
            return table;
        }

        private TomlTableNode? Descend(TomlTableNode table, (string Key, SourceLocation Location) segment, bool implicitTable, List<string> walked)
        {
            walked.Add(segment.Key);
            if (table.TryGet(segment.Key, out var entry))
            {
                switch (entry.Value)
                {
                    case TomlTableNode { IsInline: false } child:
                        return child;
                    case TomlArrayNode { IsTableArray: true, Items.Count: > 0 } array:
                        walked.Add($"[{array.Items.Count - 1}]");
                        return (TomlTableNode)array.Items[^1];
                    default:
                        return Conflict(segment, entry);
                }
            }

            var created = new TomlTableNode(segment.Location, isInline: false) { IsImplicit = implicitTable };
            table.Set(new TomlEntry(segment.Key, segment.Location, created));
            return created;
        }

        private TomlTableNode? Conflict((string Key, SourceLocation Location) segment, TomlEntry entry)
        {
            problems.Error(segment.Location, $"'{segment.Key}' is a {entry.Value.TypeName} (defined at {entry.KeyLocation}), not a table");
            return null;
        }

        private void AddKeyValue(TomlTableNode table, KeyValueSyntax keyValue, List<string> prefix)
        {
            if (keyValue.Key is null || keyValue.Value is null)
            {
                return;
            }

            if (KeyPath(keyValue.Key) is not { } path)
            {
                return;
            }

            var current = table;
            var walked = new List<string>(prefix);
            for (var i = 0; i < path.Count - 1; i++)
            {
                var next = Descend(current, path[i], implicitTable: false, walked);
                if (next is null)
                {
                    return;
                }

                current = next;
            }

            var (key, location) = path[^1];
            walked.Add(key);
            Record(keyValue.Span.Start, walked);
            Record(keyValue.Key.Span.Start, walked);
            var value = Convert(keyValue.Value, walked);
            if (value is not null)
            {
                current.Set(new TomlEntry(key, location, value));
            }
        }

        private TomlNode? Convert(ValueSyntax value, List<string> path)
        {
            var location = Locate(file, value.Span.Start);
            switch (value)
            {
                case StringValueSyntax s when s.Value is { } text && text.Contains('\0', StringComparison.Ordinal):
                    // Every string may end up a path, an argument or an environment value, and none of them can carry a NUL.
                    problems.Error(location, "a string may not contain a NUL character (\\u0000)", "no path, argument or environment value can carry one");
                    return null;
                case StringValueSyntax s:
                    return new TomlStringNode(location, s.Value ?? "");
                case IntegerValueSyntax i:
                    return new TomlIntegerNode(location, i.Value);
                case FloatValueSyntax f:
                    return new TomlFloatNode(location, f.Value);
                case BooleanValueSyntax b:
                    return new TomlBooleanNode(location, b.Value);
                case DateTimeValueSyntax d:
                    return new TomlDateTimeNode(location, d.Value.ToString() ?? "");
                case ArraySyntax a:
                    var array = new TomlArrayNode(location, isTableArray: false);
                    foreach (var item in a.Items)
                    {
                        if (item.Value is not null && Convert(item.Value, [.. path, $"[{array.Items.Count}]"]) is { } converted)
                        {
                            array.Add(converted);
                        }
                    }

                    return array;
                case InlineTableSyntax t:
                    var inline = new TomlTableNode(location, isInline: true);
                    foreach (var item in t.Items)
                    {
                        if (item.KeyValue is not null)
                        {
                            AddKeyValue(inline, item.KeyValue, path);
                        }
                    }

                    return inline;
                default:
                    problems.Error(location, $"unsupported TOML value '{value}'");
                    return null;
            }
        }

        /// <summary>The key's segments; null (reported) when one holds a NUL, which no name in a stack may.</summary>
        private List<(string Key, SourceLocation Location)>? KeyPath(KeySyntax key)
        {
            var path = new List<(string Key, SourceLocation Location)> { key.Key is null ? ("", Locate(file, key.Span.Start)) : Segment(key.Key) };
            foreach (var dotted in key.DotKeys)
            {
                path.Add(dotted.Key is null ? ("", Locate(file, dotted.Span.Start)) : Segment(dotted.Key));
            }

            if (path.FirstOrDefault(p => p.Key.Contains('\0', StringComparison.Ordinal)) is { Key: not null } withNul)
            {
                problems.Error(withNul.Location, "a key may not contain a NUL character (\\u0000)", "no name in a stack file can carry one");
                return null;
            }

            return path;
        }

        private (string, SourceLocation) Segment(BareKeyOrStringValueSyntax node)
        {
            var text = node switch
            {
                BareKeySyntax bare => bare.Key?.Text ?? "",
                StringValueSyntax quoted => quoted.Value ?? "",
                _ => node.ToString() ?? "",
            };
            return (text, Locate(file, node.Span.Start));
        }
    }
}
