using System.Buffers;
using System.Text;

namespace Tend.Core.Events;

/// <summary>
/// Values known to be secret, found wherever they appear in a text (inside a word, a URL, a JSON
/// string) and replaced by <see cref="Redactor.Mask"/>. One vectorised search over all values
/// (<see cref="SearchValues{T}"/>), so a text without any costs well under a microsecond: it runs
/// on every field of every event.
/// </summary>
public sealed class SecretValues
{
    /// <summary>Shorter values are not masked: "pw" or "dev" would garble every text they occur in.</summary>
    public const int MinLength = 4;

    // Longest first: where two values start at the same place, the longer one is masked whole.
    private readonly string[] _values;
    private readonly SearchValues<string>? _search;

    private SecretValues(string[] values)
    {
        _values = values;
        _search = values.Length == 0 ? null : SearchValues.Create(values, StringComparison.Ordinal);
    }

    public static SecretValues None { get; } = new([]);

    /// <summary>The values worth masking among <paramref name="values"/>: each at least <see cref="MinLength"/> characters, and each line of one that has several.</summary>
    public static SecretValues Of(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var part in value.Contains('\n', StringComparison.Ordinal) ? [value, .. value.Split('\n')] : new[] { value })
            {
                var trimmed = part.Trim();
                if (trimmed.Length >= MinLength && trimmed != Redactor.Mask)
                {
                    kept.Add(trimmed);
                }
            }
        }

        return kept.Count == 0 ? None : new([.. kept.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal)]);
    }

    public int Count => _values.Length;

    public IReadOnlyList<string> Values => _values;

    /// <summary>These values and <paramref name="other"/>'s.</summary>
    public SecretValues With(SecretValues other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Count == 0 ? this : Count == 0 ? other : Of(_values.Concat(other._values));
    }

    /// <summary>The name under which <see cref="Mask(string, RedactionTally)"/> counts the values it masked.</summary>
    public const string Rule = "known_value";

    /// <summary><paramref name="text"/> with every known value masked; the same string when none occurs.</summary>
    public string Mask(string text) => MaskCore(text, null);

    /// <summary><see cref="Mask(string)"/>, counting each value masked in <paramref name="tally"/> under <see cref="Rule"/>.</summary>
    public string Mask(string text, RedactionTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return MaskCore(text, tally);
    }

    private string MaskCore(string text, RedactionTally? tally)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_search is null || text.Length < MinLength)
        {
            return text;
        }

        var at = text.AsSpan().IndexOfAny(_search);
        if (at < 0)
        {
            return text;
        }

        var masked = new StringBuilder(text.Length);
        var from = 0;
        while (at >= 0)
        {
            var start = from + at;
            var value = Array.Find(_values, v => text.AsSpan(start).StartsWith(v, StringComparison.Ordinal))!;
            masked.Append(text, from, start - from).Append(Redactor.Mask);
            tally?.Add(Rule);
            from = start + value.Length;
            at = text.AsSpan(from).IndexOfAny(_search);
        }

        return masked.Append(text, from, text.Length - from).ToString();
    }

    /// <summary>Each of <paramref name="texts"/> masked; the same list when none holds a known value.</summary>
    public IReadOnlyList<string> Mask(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        string[]? masked = null;
        for (var i = 0; i < texts.Count; i++)
        {
            var one = Mask(texts[i]);
            if (!ReferenceEquals(one, texts[i]))
            {
                masked ??= [.. texts];
                masked[i] = one;
            }
        }

        return masked ?? texts;
    }
}
