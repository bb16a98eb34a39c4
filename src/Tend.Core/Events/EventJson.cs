using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tend.Core.Events;

/// <summary>
/// One event as one line of JSON, by hand with <see cref="Utf8JsonWriter"/> and
/// <see cref="Utf8JsonReader"/>: no reflection, so Native AOT keeps it whole.
/// </summary>
public static class EventJson
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // Relaxed escaping keeps non-ASCII text and <>& readable under `jq` and `grep`; control
    // characters, quotes, U+2028/9 and lone surrogates are still escaped, so a line never breaks.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The line of <paramref name="record"/>, newline included, in UTF-8.</summary>
    public static byte[] ToLine(EventRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteLine(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToLineString(EventRecord record) => System.Text.Encoding.UTF8.GetString(ToLine(record));

    /// <summary>Appends the line of <paramref name="record"/>, newline included, to <paramref name="output"/>.</summary>
    public static void WriteLine(IBufferWriter<byte> output, EventRecord record)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            Write(writer, record);
        }

        output.Write("\n"u8);
    }

    /// <summary>The event on <paramref name="line"/> (without its newline), or null when the line is not one.</summary>
    public static EventRecord? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return ParseObject(line);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            // Corrupt bytes (a power cut's zeros, a torn write, invalid UTF-8) are data, not a bug.
            return null;
        }
    }

    public static EventRecord? Parse(string line) => Parse(System.Text.Encoding.UTF8.GetBytes(line));

    /// <summary>The event as a JSON value, in the shape of its line, for a document that carries events.</summary>
    public static System.Text.Json.JsonElement ToElement(EventRecord record)
    {
        using var document = System.Text.Json.JsonDocument.Parse(ToLine(record));
        return document.RootElement.Clone();
    }

    /// <summary>An event carried as a JSON value; null when it is not one.</summary>
    public static EventRecord? FromElement(System.Text.Json.JsonElement element) => Parse(element.GetRawText());

    private static void Write(Utf8JsonWriter writer, EventRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("ts", record.Timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture));
        writer.WriteString("event", record.Kind);
        if (record.Component is null)
        {
            // Always present, so `select(.component == null)` finds the events of the whole stack.
            writer.WriteNull("component");
        }
        else
        {
            writer.WriteString("component", record.Component);
        }

        foreach (var field in record.Fields)
        {
            writer.WritePropertyName(field.Name);
            WriteValue(writer, field.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, EventValue value)
    {
        switch (value)
        {
            case EventValue.Text text:
                writer.WriteStringValue(text.Value);
                break;
            case EventValue.Integer integer:
                writer.WriteNumberValue(integer.Value);
                break;
            case EventValue.Number { Value: var number } when double.IsFinite(number):
                writer.WriteRawValue(FormatNumber(number), skipInputValidation: true);
                break;
            case EventValue.Flag flag:
                writer.WriteBooleanValue(flag.Value);
                break;
            case EventValue.TextList list:
                writer.WriteStartArray();
                foreach (var item in list.Values)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    // Utf8JsonWriter writes 2.0 as "2", which would read back as an integer: keep a fraction
    // (or an exponent) on every number so the type survives the round trip.
    private static string FormatNumber(double number)
    {
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? text : text + ".0";
    }

    private static EventRecord? ParseObject(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        DateTimeOffset? timestamp = null;
        string? kind = null;
        string? component = null;
        var fields = new List<EventField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read())
            {
                return null;
            }

            switch (name)
            {
                case "ts":
                    if (reader.TokenType != JsonTokenType.String || !TryParseTimestamp(reader.GetString()!, out var parsed))
                    {
                        return null;
                    }

                    timestamp = parsed;
                    break;
                case "event":
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return null;
                    }

                    kind = reader.GetString();
                    break;
                case "component":
                    if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                    {
                        return null;
                    }

                    component = reader.GetString();
                    break;
                default:
                    var value = ReadValue(ref reader);
                    if (value is not null && names.Add(name))
                    {
                        fields.Add(new EventField(name, value));
                    }

                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return null;
        }

        return timestamp is null || string.IsNullOrEmpty(kind) ? null : new EventRecord(timestamp.Value, kind, component, fields);
    }

    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp);

    /// <summary>The value the reader is on; null for a shape no field has (an object, a list of non-strings), which is skipped.</summary>
    private static EventValue? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new EventValue.Text(reader.GetString()!);
            case JsonTokenType.Number:
                // A line is one span, so the number's text is ValueSpan; "2.0" stays a number, "2" an integer.
                return reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && reader.TryGetInt64(out var integer)
                    ? new EventValue.Integer(integer)
                    : new EventValue.Number(reader.GetDouble());
            case JsonTokenType.True:
                return new EventValue.Flag(true);
            case JsonTokenType.False:
                return new EventValue.Flag(false);
            case JsonTokenType.Null:
                return EventValue.Null;
            case JsonTokenType.StartArray:
                var items = new List<string>();
                var allText = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        items.Add(reader.GetString()!);
                    }
                    else
                    {
                        allText = false;
                        reader.Skip();
                    }
                }

                return allText ? new EventValue.TextList(items) : null;
            default:
                // A future writer's object: not a type this reader knows; the rest of the event still counts.
                reader.Skip();
                return null;
        }
    }
}
