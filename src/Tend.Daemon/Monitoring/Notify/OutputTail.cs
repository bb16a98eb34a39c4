using System.Text;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>The last characters a pipe gave, no more than a limit: a chatty command costs a few KB, never its whole output.</summary>
internal sealed class OutputTail(int limit)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>The last line with something on it, trimmed; null when there is none.</summary>
    public string? LastLine => Text.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.Length > 0);

    /// <summary>Reads <paramref name="reader"/> to its end, in chunks (a line without an end is still bounded).</summary>
    public async Task ReadAsync(StreamReader reader)
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the command.
        }
    }

    private void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            _text.Append(chunk);
            if (_text.Length > limit)
            {
                _text.Remove(0, _text.Length - limit);
            }
        }
    }
}
