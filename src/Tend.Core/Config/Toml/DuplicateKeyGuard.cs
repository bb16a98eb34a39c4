using System.Globalization;
using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace Tend.Core.Config.Toml;

/// <summary>
/// Tomlyn (2.10) reports two different keys of one table as duplicates when their 32-bit string
/// hashes collide: its validator stores each path as a shallow copy that shares one buffer with
/// the path being walked, so a stored path always reads as the current one and only the hash tells
/// them apart (docs/upstream/tomlyn-duplicate-keys.md). String hashes are randomized per process,
/// so a stack file of many keys failed at random. A duplicate stands here only when the strings
/// agree: one key's full path equals or contains the other's.
/// </summary>
internal static partial class DuplicateKeyGuard
{
    /// <summary>True when <paramref name="error"/> says a key is already defined and the two keys' paths, by string, are unrelated.</summary>
    /// <param name="paths">The full path of each key by its 1-based start, as the tree builder folded the document.</param>
    public static bool IsFalseDuplicate(DiagnosticMessage error, IReadOnlyDictionary<(int Line, int Column), IReadOnlyList<string>> paths)
    {
        if (AlreadyDefinedAt().Match(error.Message) is not { Success: true } match)
        {
            return false;
        }

        var earlier = (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        var later = (error.Span.Start.Line + 1, error.Span.Start.Column + 1);

        // A key we cannot place is not ours to overrule.
        if (!paths.TryGetValue(earlier, out var first) || !paths.TryGetValue(later, out var second))
        {
            return false;
        }

        return !StartsWith(first, second) && !StartsWith(second, first);
    }

    private static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix) =>
        prefix.Count <= path.Count && prefix.Select((segment, i) => string.Equals(segment, path[i], StringComparison.Ordinal)).All(same => same);

    [GeneratedRegex(@"is already defined at \((\d+),(\d+)\)")]
    private static partial Regex AlreadyDefinedAt();
}
