using System.Text.Json;
using Tend.Core.Monitoring;
using Tend.Core.Persistence;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// alerts.json in the state dir: the alert book, written (atomically) whenever it changes, so a
/// daemon killed at any moment comes back knowing which alerts fired. Unreadable or missing: an
/// empty book (each condition that still holds fires once more, rather than never).
/// </summary>
internal sealed class AlertStore(string path)
{
    private string? _written;

    public string Path => path;

    public AlertBookState Read()
    {
        try
        {
            var text = File.ReadAllText(path);
            _written = text;
            return JsonSerializer.Deserialize(text, MonitorJson.Default.AlertBookState) ?? AlertBookState.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return AlertBookState.Empty;
        }
    }

    /// <summary>Writes the state when it differs from what is on disk; the error in words when the disk refuses.</summary>
    public string? Write(AlertBookState state)
    {
        var text = JsonSerializer.Serialize(state, MonitorJson.Default.AlertBookState);
        if (text == _written)
        {
            return null;
        }

        try
        {
            AtomicFile.WriteAllText(path, text);
            _written = text;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Core.Text.IoErrorText.Of(e);
        }
    }
}
