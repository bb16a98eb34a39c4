namespace Tend.Daemon.Tests.Logs.Support;

/// <summary>
/// A pipe whose reads are chosen by the test: each read returns exactly the next chunk, after
/// running <see cref="BeforeRead"/> (to move a fake clock, say), then EOF.
/// </summary>
internal sealed class ScriptedStream(params byte[][] chunks) : Stream
{
    private int _next;

    public Action<int>? BeforeRead { get; init; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_next == chunks.Length)
        {
            return 0;
        }

        BeforeRead?.Invoke(_next);
        var chunk = chunks[_next++];
        chunk.Length.ShouldBeLessThanOrEqualTo(buffer.Length, "a scripted chunk must fit one read");
        chunk.CopyTo(buffer);
        return chunk.Length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
