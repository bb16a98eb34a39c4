using System.Text.Json;

namespace Tend.Core.Workflows.Conditions;

/// <summary>Reads a file a condition names as JSON, with errors that name the file as written and the place of a JSON problem.</summary>
internal static class JsonFile
{
    /// <summary>The file's bytes without a UTF-8 byte order mark; an error when it is missing, a directory or unreadable.</summary>
    public static (byte[]? Bytes, string? Error) ReadBytes(string fullPath, string written)
    {
        if (Directory.Exists(fullPath))
        {
            return (null, $"{written} is a directory, not a file");
        }

        if (!File.Exists(fullPath))
        {
            return (null, $"{written} does not exist");
        }

        try
        {
            var bytes = File.ReadAllBytes(fullPath);
            return bytes is [0xEF, 0xBB, 0xBF, ..] ? (bytes[3..], null) : (bytes, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read {written}: {e.Message}");
        }
    }

    /// <summary>The value of one JSON document, detached from its buffer; or why it is not JSON.</summary>
    public static (JsonElement Root, string? Error) Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, Explain(e));
        }
    }

    /// <summary>System.Text.Json's message without its 0-based position suffix, then the place 1-based.</summary>
    private static string Explain(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        message = message.TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $"{message} (line {line + 1}, column {column + 1})"
            : message;
    }
}
