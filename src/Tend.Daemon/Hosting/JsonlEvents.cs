using System.Text;
using System.Text.Json;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>Writes the supervisor's events to the stack's daily JSONL files (interim writer, replaced by the event log).</summary>
public sealed class JsonlEvents(string directory, TimeProvider time) : ISupervisorEvents
{
    private readonly Lock _gate = new();

    public void Emit(string kind, string? component, params EventField[] fields)
    {
        var now = time.GetUtcNow();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("event", kind);
            if (component is not null)
            {
                json.WriteString("component", component);
            }

            foreach (var field in fields)
            {
                json.WritePropertyName(field.Name);
                WriteValue(json, field.Value);
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        var path = Path.Combine(directory, $"events-{now:yyyy-MM-dd}.jsonl");
        lock (_gate)
        {
            try
            {
                Directory.CreateDirectory(directory);
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full disk must not stop supervision.
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            case IEnumerable<string> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
