using System.Globalization;

namespace Tend.Core.Events;

/// <summary>
/// How much one event may carry. A run whose lines are megabytes long (minified JSON, a progress
/// bar without newlines) once put 700 KB into one <c>component_exited</c>; events are facts to
/// read with <c>jq</c>, and the whole line is there in the run's log.
/// </summary>
public static class EventFieldLimits
{
    /// <summary>A string field (an error, a summary, a path) keeps at most this many characters.</summary>
    public const int MaxTextChars = 4096;

    /// <summary>Each item of a list field (a log line of a tail, an argument) keeps at most this many characters.</summary>
    public const int MaxItemChars = 1024;

    /// <summary>A list field keeps at most this many items: the first ones, then one saying how many more there were.</summary>
    public const int MaxItems = 64;

    /// <summary><paramref name="field"/> within the limits; the same instance when it already is.</summary>
    public static EventField Cap(EventField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Value switch
        {
            EventValue.Text text when text.Value.Length > MaxTextChars => new EventField(field.Name, Cut(text.Value, MaxTextChars)),
            EventValue.TextList list when Exceeds(list.Values) => new EventField(field.Name, EventValue.List(CapItems(list.Values))),
            _ => field,
        };
    }

    /// <summary>The first <paramref name="max"/> characters and how many were cut, never half a surrogate pair.</summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        var keep = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, keep)}… [{text.Length - keep} more characters]");
    }

    private static bool Exceeds(IReadOnlyList<string> values) => values.Count > MaxItems || values.Any(v => v.Length > MaxItemChars);

    private static IEnumerable<string> CapItems(IReadOnlyList<string> values)
    {
        var kept = values.Count > MaxItems ? MaxItems - 1 : values.Count;
        for (var i = 0; i < kept; i++)
        {
            yield return Cut(values[i], MaxItemChars);
        }

        if (kept < values.Count)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"… [{values.Count - kept} more items]");
        }
    }
}
