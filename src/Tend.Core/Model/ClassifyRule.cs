using System.Text.RegularExpressions;
using Tend.Core.Text;

namespace Tend.Core.Model;

/// <summary>
/// One way to recognise a failed round from a line of its output: a regex on the line, JSON
/// fields of the line, or both on the same line. The first rule of a list that matched any line
/// of the round decides its <see cref="Bucket"/>.
/// </summary>
/// <param name="Match">A <see cref="Pattern"/> when it comes from a stack file; the presets' source-generated regexes are single instances, so rules compare by value either way.</param>
/// <param name="ResetAtPath">JSON path of the time a limit resets (JSON rules; a regex names a <c>reset</c> group instead).</param>
/// <param name="Origin">Where the rule comes from, for messages: <c>components.agent.classify[2]</c> or <c>preset claude[0]</c>.</param>
public sealed record ClassifyRule(
    RoundBucket Bucket,
    Regex? Match,
    ValueList<JsonCondition> Json,
    string? ResetAtPath,
    RoundAction Action,
    TimeSpan BackOffBase,
    string Origin) : Located
{
    /// <summary>
    /// Only lines that are not JSON objects: an agent's stream-JSON transcript quotes whatever its
    /// tools read (code, test output), where "ECONNREFUSED" or "authentication_error" is content,
    /// not the round's own failure.
    /// </summary>
    public bool PlainLinesOnly { get; init; }

    /// <summary>The regex group that holds a reset time in <see cref="Match"/>.</summary>
    public const string ResetGroup = "reset";

    /// <summary>Lines come from a program the user does not control: a slow pattern must not stall its reader.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Compiles a pattern as every rule's is; throws <see cref="ArgumentException"/> when it is invalid.</summary>
    public static Pattern Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);
}

/// <summary>The value at a dotted <see cref="Path"/> of a JSON line, compared as text (see Rounds.JsonPath.Text).</summary>
public sealed record JsonCondition(string Path, string Expected);
