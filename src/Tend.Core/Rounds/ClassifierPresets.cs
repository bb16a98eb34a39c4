using System.Text.RegularExpressions;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Rounds;

/// <summary>
/// Built-in rule sets, chosen with <c>classify_preset</c>: <c>claude</c> reads the fields of
/// Claude Code's <c>--output-format stream-json</c> lines first and falls back to its messages;
/// <c>generic</c> has only regexes, for any CLI. Specific rules come first, since the first rule
/// of the list that matched decides.
/// </summary>
public static partial class ClassifierPresets
{
    public static readonly IReadOnlyList<string> Names = ["claude", "generic"];

    private static readonly IReadOnlyList<ClassifyRule> Claude = Number("claude",
    [
        Fields(RoundBucket.RateLimitReset, ["type", "rate_limit_event", "rate_limit_info.status", "rejected"], resetAt: "rate_limit_info.resetsAt"),
        Pattern(RoundBucket.RateLimitReset, ClaudeUsageLimit),
        Result(RoundBucket.RateLimit, 429),
        Result(RoundBucket.Auth, 401),
        Result(RoundBucket.Auth, 403),
        Result(RoundBucket.ServerError, 500),
        Result(RoundBucket.ServerError, 502),
        Result(RoundBucket.ServerError, 503),
        Result(RoundBucket.ServerError, 504),
        Result(RoundBucket.ServerError, 529),
        Result(RoundBucket.Timeout, 408),
        // Plain lines only (stderr, a non-JSON mode): in the stream-JSON transcript these words
        // may be what the agent's tools read, and the result line's status says it better.
        Plain(RoundBucket.Auth, ClaudeAuth),
        Plain(RoundBucket.Network, NetworkError),
        Plain(RoundBucket.ServerError, ClaudeApiError5xx),
        Plain(RoundBucket.ServerError, ClaudeOverloaded),
    ]);

    // Network before timeout: "connect ETIMEDOUT" is the network's fault, and would match "timed out" too.
    private static readonly IReadOnlyList<ClassifyRule> Generic = Number("generic",
    [
        Pattern(RoundBucket.RateLimit, GenericRateLimit),
        Pattern(RoundBucket.Auth, GenericAuth),
        Pattern(RoundBucket.ServerError, GenericServerError),
        Pattern(RoundBucket.Network, NetworkError),
        Pattern(RoundBucket.Timeout, GenericTimeout),
    ]);

    public static IReadOnlyList<ClassifyRule>? Get(string name) => name switch
    {
        "claude" => Claude,
        "generic" => Generic,
        _ => null,
    };

    // Claude Code's result when the usage limit is hit: "Claude AI usage limit reached|1735689600".
    [GeneratedRegex(@"usage limit reached\|(?<reset>\d{9,13})", RegexOptions.CultureInvariant, 100)]
    private static partial Regex ClaudeUsageLimit { get; }

    [GeneratedRegex(@"(?i)(invalid x-api-key|authentication_error|please run /login|OAuth token (has )?expired)", RegexOptions.CultureInvariant, 100)]
    private static partial Regex ClaudeAuth { get; }

    [GeneratedRegex(@"API Error: 5\d\d", RegexOptions.CultureInvariant, 100)]
    private static partial Regex ClaudeApiError5xx { get; }

    [GeneratedRegex(@"(?i)overloaded_error", RegexOptions.CultureInvariant, 100)]
    private static partial Regex ClaudeOverloaded { get; }

    [GeneratedRegex(@"(?i)(ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up|network error|fetch failed)", RegexOptions.CultureInvariant, 100)]
    private static partial Regex NetworkError { get; }

    [GeneratedRegex(@"(?i)\b429\b|rate.?limit|too many requests", RegexOptions.CultureInvariant, 100)]
    private static partial Regex GenericRateLimit { get; }

    [GeneratedRegex(@"(?i)\b(500|502|503|504)\b.*(error|server)|internal server error|bad gateway|service unavailable", RegexOptions.CultureInvariant, 100)]
    private static partial Regex GenericServerError { get; }

    [GeneratedRegex(@"(?i)\b401\b|unauthori[sz]ed|authentication failed|invalid api key", RegexOptions.CultureInvariant, 100)]
    private static partial Regex GenericAuth { get; }

    [GeneratedRegex(@"(?i)timed? ?out|\b408\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex GenericTimeout { get; }

    private delegate ClassifyRule Draft(string origin);

    /// <summary>A result line of a failed API call, by its HTTP status.</summary>
    private static Draft Result(RoundBucket bucket, int status) =>
        Fields(bucket, ["type", "result", "api_error_status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <param name="pairs">Path, expected value, path, expected value...</param>
    private static Draft Fields(RoundBucket bucket, string[] pairs, string? resetAt = null)
    {
        var conditions = pairs.Chunk(2).Select(p => new JsonCondition(p[0], p[1])).ToList();
        return origin => Rule(bucket, null, conditions, resetAt, origin);
    }

    private static Draft Pattern(RoundBucket bucket, Regex regex) => origin => Rule(bucket, regex, [], null, origin);

    private static Draft Plain(RoundBucket bucket, Regex regex) => origin => Rule(bucket, regex, [], null, origin) with { PlainLinesOnly = true };

    private static ClassifyRule Rule(RoundBucket bucket, Regex? match, IReadOnlyList<JsonCondition> json, string? resetAt, string origin) =>
        new(bucket, match, [.. json], resetAt, RoundBuckets.DefaultAction(bucket), RoundBuckets.DefaultBackOff(bucket), origin);

    private static ClassifyRule[] Number(string preset, Draft[] drafts) =>
        [.. drafts.Select((draft, i) => draft($"preset {preset}[{i}]"))];
}
