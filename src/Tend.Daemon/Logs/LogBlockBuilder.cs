namespace Tend.Daemon.Logs;

/// <summary>
/// Fills pooled buffers with framed lines and hands each one on when the next line would not
/// fit, or when the reader flushes after a read so that output reaches the disk promptly.
/// </summary>
internal sealed class LogBlockBuilder(int capacity, Action<LogBlock> submit) : IDisposable
{
    private byte[]? _buffer;
    private int _length;
    private long _sourceBytes;

    /// <summary>Room for one line of <paramref name="size"/> bytes; call <see cref="Commit"/> after writing it.</summary>
    public Span<byte> Reserve(int size)
    {
        if (_buffer is not null && _length + size > _buffer.Length)
        {
            Flush();
        }

        _buffer ??= LogBuffers.Pool.Rent(Math.Max(capacity, size));
        return _buffer.AsSpan(_length, size);
    }

    public void Commit(int size, long sourceBytes)
    {
        _length += size;
        _sourceBytes += sourceBytes;
    }

    public void Flush()
    {
        if (_buffer is null || _length == 0)
        {
            return;
        }

        var block = new LogBlock(_buffer, _length, _sourceBytes);
        _buffer = null;
        _length = 0;
        _sourceBytes = 0;
        submit(block);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            LogBuffers.Pool.Return(_buffer);
            _buffer = null;
        }
    }
}
