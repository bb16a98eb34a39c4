namespace Tend.Daemon.Logs;

/// <summary>Work for the <see cref="LogWriterThread"/>: one capture's queued blocks.</summary>
internal interface ILogWriteJob
{
    /// <summary>Writes some of what is queued (a bounded amount, so other runs get their turn); schedules itself again when more is left.</summary>
    void WriteSome();
}

/// <summary>
/// One thread that puts every run's framed output on disk, a capture at a time, so the daemon does
/// not keep a writer thread per run. Reading and writing stay apart: a write held up by the disk
/// does not stop the loop from reading, and each capture's backlog decides whether its child then
/// waits (<c>on_full = "block"</c>) or its output is dropped.
/// </summary>
internal sealed class LogWriterThread
{
    private static readonly Lazy<LogWriterThread> SharedThread = new(() => new LogWriterThread());

    // A plain queue under Monitor: a BlockingCollection's SemaphoreSlim spins before it sleeps,
    // and under a flood the spinning cost more CPU than writing the logs (measured).
    private readonly Queue<ILogWriteJob> _jobs = new();
    private readonly object _gate = new();

    private LogWriterThread() =>
        new Thread(Run) { IsBackground = true, Name = "tend log writer" }.Start();

    public static LogWriterThread Shared => SharedThread.Value;

    /// <summary>Queues <paramref name="job"/>; the caller makes sure a job is queued at most once at a time.</summary>
    public void Schedule(ILogWriteJob job)
    {
        lock (_gate)
        {
            _jobs.Enqueue(job);
            if (_jobs.Count == 1)
            {
                System.Threading.Monitor.Pulse(_gate);
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            ILogWriteJob job;
            lock (_gate)
            {
                while (_jobs.Count == 0)
                {
                    System.Threading.Monitor.Wait(_gate);
                }

                job = _jobs.Dequeue();
            }

            job.WriteSome();
        }
    }
}
