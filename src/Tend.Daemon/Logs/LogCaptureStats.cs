namespace Tend.Daemon.Logs;

/// <summary>
/// Counters of one run's capture, read at any time. <see cref="BytesDropped"/> counts the
/// child's output dropped because the disk was slower than the child; <see cref="BytesLost"/>
/// counts log bytes that a failed write (full disk, missing directory) could not store.
/// </summary>
public sealed record LogCaptureStats(
    long BytesRead,
    long Lines,
    long BytesWritten,
    long BytesDropped,
    long BytesLost,
    long BacklogBytes,
    string? CurrentFile,
    string? LastError);
