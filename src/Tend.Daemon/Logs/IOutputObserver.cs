namespace Tend.Daemon.Logs;

/// <summary>
/// Sees each line of a run's output as it is captured (without its newline), from the reader
/// threads of both streams at once. Must be quick and must not throw: it runs on the capture's
/// hot path, and a slow observer would slow the child's pipe.
/// </summary>
public interface IOutputObserver
{
    void OnLine(ReadOnlySpan<byte> line);
}
