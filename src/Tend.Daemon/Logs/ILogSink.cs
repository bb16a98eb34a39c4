namespace Tend.Daemon.Logs;

/// <summary>
/// Where a capture's framed lines go. The files of a run in production; tests wrap them to
/// play a disk slower than the child.
/// </summary>
internal interface ILogSink : IDisposable
{
    long BytesWritten { get; }

    /// <summary>Log bytes that could not be written (full disk, missing or read-only directory).</summary>
    long BytesLost { get; }

    string? LastError { get; }

    string? CurrentFile { get; }

    /// <summary>Creates the first file before any output, so an empty run still has its file.</summary>
    void Open();

    /// <summary>Whole lines only. Failures are counted and reported in the log, never thrown.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken = default);
}
