namespace Tend.Core.Config.Toml;

/// <summary>
/// Where a TOML text first nests arrays and inline tables deeper than the parser allows: Tomlyn
/// throws at its limit without a position, and a user needs the line. Strings and comments are
/// skipped, so brackets inside them do not count.
/// </summary>
internal static class NestingDepth
{
    /// <summary>Tomlyn's limit (TomlSerializerOptions.MaxDepth's default); no stack setting comes near it.</summary>
    public const int Max = 64;

    /// <summary>The offset of the first opening bracket or brace deeper than <paramref name="max"/>; null when there is none.</summary>
    public static int? FindTooDeep(string text, int max)
    {
        var depth = 0;
        var i = 0;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '#':
                    i = text.IndexOf('\n', i) is var end and >= 0 ? end : text.Length;
                    continue;
                case '"' or '\'':
                    i = SkipString(text, i);
                    continue;
                case '[' or '{':
                    if (++depth > max)
                    {
                        return i;
                    }

                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }

            i++;
        }

        return null;
    }

    /// <summary>The offset just after the string starting at <paramref name="start"/> (basic or literal, one line or many).</summary>
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var multiline = start + 2 < text.Length && text[start + 1] == quote && text[start + 2] == quote;
        var i = start + (multiline ? 3 : 1);
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && quote == '"')
            {
                i += 2;
                continue;
            }

            if (!multiline && c == '\n')
            {
                return i;
            }

            if (c == quote && (!multiline || (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)))
            {
                return i + (multiline ? 3 : 1);
            }

            i++;
        }

        return text.Length;
    }
}
