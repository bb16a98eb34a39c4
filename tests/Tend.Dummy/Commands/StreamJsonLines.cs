using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tend.Dummy.Commands;

/// <summary>
/// Writes agent-style stream-JSON to stdout: one object a line, flushed at once, shaped like
/// the output of <c>claude -p --output-format stream-json --verbose</c> (system init, assistant
/// messages, a final result; API errors come as a synthetic assistant message and a result with
/// <c>"subtype":"success","is_error":true</c>, as the real CLI does).
/// </summary>
internal sealed class StreamJsonLines(Stream stdout)
{
    private const string SessionId = "00000000-0000-4000-8000-00000000d00d";

    // Like JSON.stringify in the real (Node) CLI: quotes as \", non-ASCII and <> left as they are.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void System() => Line(json =>
    {
        json.WriteString("type", "system");
        json.WriteString("subtype", "init");
        json.WriteString("cwd", Environment.CurrentDirectory);
        json.WriteString("session_id", SessionId);
        json.WriteString("model", "dummy-model");
        json.WriteStartArray("tools");
        json.WriteStringValue("Bash");
        json.WriteStringValue("Read");
        json.WriteEndArray();
        json.WriteString("permissionMode", "bypassPermissions");
    });

    /// <param name="error">An API error kind (e.g. <c>rate_limit</c>) for a synthetic message.</param>
    public void Assistant(string text, string? error = null) => Line(json =>
    {
        json.WriteString("type", "assistant");
        json.WriteStartObject("message");
        json.WriteString("id", "msg_dummy");
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", error is null ? "dummy-model" : "<synthetic>");
        json.WriteStartArray("content");
        json.WriteStartObject();
        json.WriteString("type", "text");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", 12);
        json.WriteNumber("output_tokens", error is null ? 34 : 0);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteNull("parent_tool_use_id");
        json.WriteString("session_id", SessionId);
        if (error is not null)
        {
            json.WriteString("error", error);
            json.WriteBoolean("is_api_error_message", true);
        }
    });

    /// <summary>Both the plain <c>resets_at</c> and the CLI's nested <c>rate_limit_info</c>.</summary>
    public void RateLimit(long resetsAtEpoch) => Line(json =>
    {
        json.WriteString("type", "rate_limit_event");
        json.WriteNumber("resets_at", resetsAtEpoch);
        json.WriteStartObject("rate_limit_info");
        json.WriteString("status", "rejected");
        json.WriteNumber("resetsAt", resetsAtEpoch);
        json.WriteString("rateLimitType", "five_hour");
        json.WriteEndObject();
        json.WriteString("session_id", SessionId);
    });

    /// <param name="apiErrorStatus">The HTTP status of a failed API call; null on success.</param>
    public void Result(string text, int? apiErrorStatus = null) => Line(json =>
    {
        json.WriteString("type", "result");
        json.WriteString("subtype", "success");
        json.WriteBoolean("is_error", apiErrorStatus is not null);
        if (apiErrorStatus is { } status)
        {
            json.WriteNumber("api_error_status", status);
        }

        json.WriteNumber("duration_ms", 1234);
        json.WriteNumber("duration_api_ms", 1000);
        json.WriteNumber("num_turns", 1);
        json.WriteString("result", text);
        json.WriteString("session_id", SessionId);
        json.WriteNumber("total_cost_usd", apiErrorStatus is null ? 0.0123 : 0);
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", 12);
        json.WriteNumber("output_tokens", apiErrorStatus is null ? 34 : 0);
        json.WriteEndObject();
    });

    private void Line(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        stdout.Write(buffer.WrittenSpan);
        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
