using System.Text;
using System.Text.RegularExpressions;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// A shell-style glob over a directory tree: <c>*</c> and <c>?</c> within a path segment,
/// <c>**</c> across segments. Hidden files and directories (a leading dot) match only a pattern
/// that names them, as in a shell, so <c>**/*.py</c> does not wander into <c>.venv</c>.
/// </summary>
public static class FileGlob
{
    public static bool IsGlob(string text) => text.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>The matching files, relative to <paramref name="directory"/> with <c>/</c>, sorted ordinally.</summary>
    public static IReadOnlyList<string> Expand(string directory, string pattern)
    {
        var regex = new Regex(ToRegex(pattern.Replace('\\', '/').TrimStart('.', '/')), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var hiddenAllowed = pattern.StartsWith('.') && !pattern.StartsWith("./", StringComparison.Ordinal) || pattern.Contains("/.", StringComparison.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = hiddenAllowed ? 0 : FileAttributes.Hidden };
        var matches = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", options))
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (!hiddenAllowed && relative.Split('/').Any(s => s.StartsWith('.')))
            {
                continue;
            }

            if (regex.IsMatch(relative))
            {
                matches.Add(relative);
            }
        }

        matches.Sort(StringComparer.Ordinal);
        return matches;
    }

    private static string ToRegex(string pattern)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                text.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                text.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return text.Append('$').ToString();
    }
}
