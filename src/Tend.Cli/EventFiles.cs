using System.Text.Json;

namespace Tend.Cli;

/// <summary>One event as the CLI reads it back from the JSONL files.</summary>
internal sealed record EventLine(DateTimeOffset At, string Kind, string? Component, JsonElement Json)
{
    public string? Text(string field) => Json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
}

/// <summary>Reads the daily event files of a stack's state directory, newest last, never a torn line.</summary>
internal static class EventFiles
{
    public static IReadOnlyList<EventLine> Read(string directory, Func<EventLine, bool>? filter = null, int? last = null)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var events = new List<EventLine>();
        foreach (var file in Directory.GetFiles(directory, "events-*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in ReadLines(file))
            {
                if (Parse(line) is { } parsed && (filter is null || filter(parsed)))
                {
                    events.Add(parsed);
                }
            }
        }

        return last is { } n && events.Count > n ? events[^n..] : events;
    }

    /// <summary>Complete lines only: a last line without its newline is still being written.</summary>
    private static IEnumerable<string> ReadLines(string file)
    {
        string text;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            yield break;
        }

        foreach (var line in text[..end].Split('\n'))
        {
            yield return line;
        }
    }

    public static EventLine? Parse(string line)
    {
        try
        {
            var root = JsonDocument.Parse(line).RootElement;
            var at = root.TryGetProperty("ts", out var ts) && DateTimeOffset.TryParse(ts.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : default;
            var kind = root.TryGetProperty("event", out var e) ? e.GetString() ?? "" : "";
            var component = root.TryGetProperty("component", out var c) ? c.GetString() : null;
            return new EventLine(at, kind, component, root);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
