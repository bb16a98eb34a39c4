namespace Tend.Daemon.Logs;

/// <summary>
/// Sees each line of a run's output as it is captured (without its newline), from the reader
/// threads of both streams at once. Must be quick and must not throw: it runs on the capture's
/// hot path, and a slow observer would slow the child's pipe.
/// </summary>
public interface IOutputObserver
{
    /// <summary>False while nobody wants the lines: the capture then does not cut them, and costs what it cost without an observer.</summary>
    bool IsListening => true;

    void OnLine(ReadOnlySpan<byte> line);
}

/// <summary>Several observers of one run (a round's watcher and the output hub).</summary>
public sealed class ObserverGroup(IReadOnlyList<IOutputObserver> observers) : IOutputObserver
{
    public bool IsListening => observers.Any(o => o.IsListening);

    public void OnLine(ReadOnlySpan<byte> line)
    {
        foreach (var observer in observers)
        {
            if (observer.IsListening)
            {
                observer.OnLine(line);
            }
        }
    }
}
