using Tend.Core.Events;
using Tend.Daemon.Control;

namespace Tend.Daemon.Hosting;

/// <summary>
/// Keeps state.json current: written at once after a change (a new PID must be on disk before the
/// daemon can be killed), then changes gather for 50 ms before the next write. A failure to take
/// a snapshot is a bug to report, never the end of the writing: crash recovery depends on it.
/// </summary>
internal sealed class StatePersistence(StateStore state, StackControl control, IEventSink events, TimeProvider time)
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken stopping)
    {
        var reported = false;
        while (!stopping.IsCancellationRequested)
        {
            var next = control.Changed.Next;
            try
            {
                state.Write(control.Status());
                reported = false;
            }
            catch (Exception e)
            {
                if (!reported)
                {
                    reported = true;
                    events.Emit(EventKinds.DaemonError, null, new("task", "state.json"), new("error", $"{e.GetType().Name}: {e.Message}"));
                }
            }

            try
            {
                await Task.Delay(Gather, time, stopping);
                await next.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
