namespace Tend.Daemon.Processes;

/// <summary>
/// One scan of /proc per tick, shared by every stop that needs one. Where runs are not in cgroups,
/// knowing a process group empty (zombies aside) or finding a run's escapers by their tags means
/// reading every process's stat; 500 components stopping at once, each scanning on each poll,
/// cost 500 scans of the whole machine per poll (37 s for `tend down` beside 1,000 unrelated
/// processes). Here whoever asks during a scan or a tick waits for the next one and gets the same
/// snapshot: the cost is one scan per tick however many stops are in progress.
/// </summary>
/// <param name="scanned">Called after each scan: the counter a test reads to see the scans shared.</param>
public sealed class ProcScanner(TimeProvider time, string procRoot = "/proc", Action? scanned = null)
{
    /// <summary>The least time between the end of one scan and the start of the next; a scan slower than this waits its own length, so scanning takes at most half a core.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private TaskCompletionSource<ProcSnapshot>? _next;
    private bool _running;
    private long _lastEnd;
    private TimeSpan _lastLength;

    /// <summary>A snapshot of /proc begun after this call: what it shows is at least as new as the caller's last signal.</summary>
    public Task<ProcSnapshot> NextAsync(CancellationToken cancellationToken = default)
    {
        Task<ProcSnapshot> next;
        lock (_gate)
        {
            _next ??= new TaskCompletionSource<ProcSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            next = _next.Task;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(ScanWhileAskedAsync, CancellationToken.None);
            }
        }

        return next.WaitAsync(cancellationToken);
    }

    private async Task ScanWhileAskedAsync()
    {
        while (true)
        {
            var pause = (_lastLength > Tick ? _lastLength : Tick) - time.GetElapsedTime(_lastEnd);
            if (_lastEnd != 0 && pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, CancellationToken.None);
            }

            TaskCompletionSource<ProcSnapshot>? batch;
            lock (_gate)
            {
                batch = _next;
                _next = null;
                if (batch is null)
                {
                    _running = false;
                    return;
                }
            }

            var began = time.GetTimestamp();
            try
            {
                var snapshot = new ProcSnapshot([.. ProcStat.Live(procRoot)], procRoot);
                scanned?.Invoke();
                batch.SetResult(snapshot);
            }
            catch (Exception e)
            {
                // Handed to every waiter (a bug or an unreadable /proc is theirs to report), and the next ask scans again.
                batch.SetException(e);
            }

            _lastEnd = time.GetTimestamp();
            _lastLength = time.GetElapsedTime(began, _lastEnd);
        }
    }
}
