using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>
/// Gives back the memory a burst of work left behind (start-up, an up, a reload), once the stack
/// has been quiet for a while: one compacting collection that returns free memory to the system.
/// An idle daemon then holds what it needs, not what its start-up once touched (measured: 6 MB of
/// 18 MB of anonymous memory with 50 services). A stack that keeps changing is never trimmed:
/// the collector works on its own there. Work best done in a quiet moment (<paramref name="upkeep"/>:
/// indexing the day's events) comes first, so the trim takes back what it used too.
/// Requests to the HTTP face are bursts too (<paramref name="activity"/>): a dashboard's first
/// reads left 10 MB of garbage in a heap that nothing else would have collected. The binary's
/// pages that the burst read are let go too (<see cref="CleanPageRelease"/>).
/// </summary>
internal sealed class MemoryTrim(Changed changed, TimeProvider time, Action? trim = null, Action? upkeep = null, Changed? activity = null)
{
    private readonly Action _trim = trim ?? (() =>
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        CleanPageRelease.Run();
    });

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    /// <summary>A component that flaps makes bursts all the time: at most one trim in this long.</summary>
    private static readonly TimeSpan Between = TimeSpan.FromMinutes(1);

    public async Task RunAsync(CancellationToken stopping)
    {
        long? last = null;
        try
        {
            while (true)
            {
                // A burst begins with a change (start-up makes its own) and ends with quiet.
                var next = activity is null ? changed.Next : Task.WhenAny(changed.Next, activity.Next);
                await Task.WhenAny(next, Task.Delay(Quiet, time, stopping)).WaitAsync(stopping);
                if (next.IsCompleted)
                {
                    continue;
                }

                // Quiet, but the last trim is recent: the rest of the minute, unless a change comes first.
                if (last is { } previous && time.GetElapsedTime(previous) < Between)
                {
                    await Task.WhenAny(next, Task.Delay(Between - time.GetElapsedTime(previous), time, stopping)).WaitAsync(stopping);
                    if (next.IsCompleted)
                    {
                        continue;
                    }
                }

                upkeep?.Invoke();
                _trim();
                last = time.GetTimestamp();
                await next.WaitAsync(stopping);
            }
        }
        catch (OperationCanceledException)
        {
            // The daemon is stopping.
        }
    }
}
