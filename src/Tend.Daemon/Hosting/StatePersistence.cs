using Tend.Core.Events;
using Tend.Daemon.Control;

namespace Tend.Daemon.Hosting;

/// <summary>
/// Keeps state.json current: written at once after a change (a new PID must be on disk before the
/// daemon can be killed), then changes gather for 50 ms before the next write. The state in
/// memory is the truth: a write that fails (a full disk) is tried again every second whether or
/// not anything changes, said once as an event and shown in every snapshot until it works. A
/// failure to take a snapshot is a bug to report, never the end of the writing: crash recovery
/// depends on it.
/// </summary>
internal sealed class StatePersistence(StateStore state, StackControl control, IEventSink events, TimeProvider time)
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private DateTimeOffset? _failingSince;
    private bool _bugReported;

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var next = control.Changed.Next;
            WriteOnce();
            try
            {
                await Task.Delay(Gather, time, stopping);
                if (_failingSince is null)
                {
                    await next.WaitAsync(stopping);
                }
                else
                {
                    await Task.WhenAny(next, Task.Delay(Retry - Gather, time, stopping)).WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One write of the snapshot now, with its events and warnings; also the daemon's last write at its stop.</summary>
    public void WriteOnce()
    {
        string? error;
        try
        {
            error = state.Write(control.Status());
            _bugReported = false;
        }
        catch (Exception e)
        {
            if (!_bugReported)
            {
                _bugReported = true;
                events.Emit(EventKinds.DaemonError, null, new("task", "state.json"), new("error", $"{e.GetType().Name}: {e.Message}"));
            }

            return;
        }

        var now = time.GetUtcNow();
        if (error is not null && _failingSince is null)
        {
            _failingSince = now;
            control.Warnings.StateTrouble(error, now);
            events.Emit(EventKinds.StateWriteFailed, null, new("path", state.Path), new("error", error));
        }
        else if (error is null && _failingSince is { } since)
        {
            _failingSince = null;
            control.Warnings.StateTrouble(null, now);
            events.Emit(EventKinds.StateWriteResumed, null, new("path", state.Path), EventFields.Ms("failed_ms", now - since));

            // The snapshot just written still carried the warning: once more, without it.
            state.Write(control.Status());
        }
    }
}
