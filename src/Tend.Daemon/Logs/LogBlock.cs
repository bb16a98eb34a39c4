namespace Tend.Daemon.Logs;

/// <summary>
/// Framed, whole log lines on their way from a pipe reader to the disk, in a buffer rented
/// from the shared pool. A block never ends inside a line, so blocks from stdout and stderr
/// can be written in any interleaving without mixing two lines.
/// </summary>
/// <param name="SourceBytes">Bytes of the child's output the block holds (what a drop loses).</param>
/// <param name="DroppedBefore">Output dropped just before this block: a marker line goes first.</param>
/// <param name="ResumedAt">When the backlog took output again after that drop: the marker's time.</param>
internal readonly record struct LogBlock(byte[]? Buffer, int Length, long SourceBytes, long DroppedBefore = 0, DateTimeOffset ResumedAt = default)
{
    public ReadOnlyMemory<byte> Lines => Buffer.AsMemory(0, Length);
}
