using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tend.Core.Model;

namespace Tend.Core.Rounds;

/// <summary>Why a round failed: the deciding rule, its bucket, when a limit resets, and the line that showed it.</summary>
/// <param name="Bucket">The rule's bucket, except that a <see cref="RoundBucket.RateLimitReset"/> whose time could not be read falls back to <see cref="RoundBucket.RateLimit"/>.</param>
public sealed record RoundClassification(ClassifyRule Rule, RoundBucket Bucket, DateTimeOffset? ResetAt, string Line);

/// <summary>
/// Watches the output lines of one round and remembers the first rule, in list order, that
/// matched any of them: a specific rule early in the list wins over a generic one even when the
/// generic one matched an earlier line. Lines arrive from the stdout and stderr readers at once.
/// </summary>
public sealed class RoundClassifier
{
    /// <summary>Agents print long result lines; what identifies a failure sits near the start of a short one.</summary>
    public const int MaxLineBytes = 64 * 1024;

    public const int MaxShownChars = 300;

    private const int None = int.MaxValue;

    private readonly IReadOnlyList<ClassifyRule> _rules;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // The deciding rule so far, the first line it matched, and the latest reset time it read.
    private int _best = None;
    private string? _line;
    private DateTimeOffset? _resetAt;

    public RoundClassifier(IReadOnlyList<ClassifyRule> rules, TimeProvider time)
    {
        if (rules.FirstOrDefault(r => r.Match is null && r.Json.Count == 0) is { } empty)
        {
            throw new ArgumentException($"{empty.Origin} has neither a regex nor JSON conditions", nameof(rules));
        }

        _rules = rules;
        _time = time;
    }

    public RoundClassification? Result
    {
        get
        {
            lock (_gate)
            {
                if (_best == None)
                {
                    return null;
                }

                var rule = _rules[_best];
                var bucket = rule.Bucket == RoundBucket.RateLimitReset && _resetAt is null ? RoundBucket.RateLimit : rule.Bucket;
                return new RoundClassification(rule, bucket, _resetAt, _line!);
            }
        }
    }

    /// <summary>One line of output, without its newline.</summary>
    public void Observe(ReadOnlySpan<byte> utf8Line)
    {
        // Rules after the deciding one can no longer decide; it alone may still read a later reset time.
        var last = Math.Min(Volatile.Read(ref _best), _rules.Count - 1);
        var line = Trim(utf8Line);
        JsonDocument? json = null;
        var parsed = false;
        string? text = null;
        try
        {
            for (var i = 0; i <= last; i++)
            {
                var rule = _rules[i];
                if (rule.PlainLinesOnly && line.Length > 0 && line[0] == (byte)'{')
                {
                    continue;
                }

                if (rule.Json.Count > 0)
                {
                    if (!parsed)
                    {
                        json = ParseObject(line);
                        parsed = true;
                    }

                    if (json is null || !AllHold(rule.Json, json.RootElement))
                    {
                        continue;
                    }
                }

                Match? match = null;
                if (rule.Match is { } regex && !TryMatch(regex, text ??= Encoding.UTF8.GetString(line), out match))
                {
                    continue;
                }

                Record(i, text ?? Encoding.UTF8.GetString(line), ReadResetAt(rule, match, json));
                return;
            }
        }
        finally
        {
            json?.Dispose();
        }
    }

    private void Record(int index, string text, DateTimeOffset? resetAt)
    {
        lock (_gate)
        {
            if (index < _best)
            {
                _best = index;
                _line = Shown(text);
                _resetAt = resetAt;
            }
            else if (index == _best)
            {
                _resetAt = Later(_resetAt, resetAt);
            }
        }
    }

    private DateTimeOffset? ReadResetAt(ClassifyRule rule, Match? match, JsonDocument? json)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? fromRegex = match?.Groups[ClassifyRule.ResetGroup] is { Success: true } group ? ResetTime.Parse(group.Value, now) : null;
        DateTimeOffset? fromJson = rule.ResetAtPath is { } path && json is not null && JsonPath.TryGet(json.RootElement, path, out var value) ? ResetTime.Parse(value, now) : null;
        return Later(fromRegex, fromJson);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b : a;

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        var capped = line.Length > MaxLineBytes ? line[..MaxLineBytes] : line;
        return capped.EndsWith("\r"u8) ? capped[..^1] : capped;
    }

    /// <summary>Parses only what looks like a JSON object; anything else simply matches no JSON rule.</summary>
    private static JsonDocument? ParseObject(ReadOnlySpan<byte> line)
    {
        var start = line.IndexOfAnyExcept(" \t"u8);
        if (start < 0 || line[start] != (byte)'{')
        {
            return null;
        }

        var reader = new Utf8JsonReader(line[start..]);
        try
        {
            return JsonDocument.TryParseValue(ref reader, out var document) ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool AllHold(IReadOnlyList<JsonCondition> conditions, JsonElement root)
    {
        foreach (var condition in conditions)
        {
            if (!JsonPath.Holds(root, condition))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryMatch(Regex regex, string text, out Match? match)
    {
        try
        {
            match = regex.Match(text);
            return match.Success;
        }
        catch (RegexMatchTimeoutException)
        {
            match = null;
            return false;
        }
    }

    private static string Shown(string text)
    {
        if (text.Length <= MaxShownChars)
        {
            return text;
        }

        // Never cut a surrogate pair in two.
        var length = char.IsHighSurrogate(text[MaxShownChars - 1]) ? MaxShownChars - 1 : MaxShownChars;
        return text[..length];
    }
}
