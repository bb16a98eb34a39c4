using Tend.Core.Status;
using Tend.Daemon.Control;

namespace Tend.Daemon.Hosting;

/// <summary>
/// The daemon as a systemd service: READY=1 once the stack it brought up has settled, a STATUS=
/// line whenever the words change, WATCHDOG=1 at half the watchdog period, STOPPING=1 at the stop.
/// </summary>
public sealed class SystemdSession(SystemdNotify notify, TimeProvider time)
{
    /// <summary>
    /// Pings the watchdog every <see cref="SystemdNotify.WatchdogInterval"/> for as long as
    /// <paramref name="alive"/> returns: it is called before each ping and takes what the supervision
    /// takes (every runner's snapshot), so a runner wedged holding its lock, or a starved thread pool,
    /// stops the pings and systemd restarts the daemon. Returns at once when no watchdog is asked.
    /// </summary>
    public async Task WatchdogAsync(Func<bool> alive, CancellationToken cancellationToken = default)
    {
        if (notify.WatchdogInterval is not { } interval)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (alive())
            {
                notify.Send("WATCHDOG=1");
            }
        }
    }

    /// <summary>
    /// STATUS= as the stack changes; READY=1 (with the status) once it has settled: every component
    /// up, failed, stuck or stopped, and rounds underway. A component that fails does not hold the
    /// start: the daemon is up and supervising it, and systemd must not kill it for that.
    /// </summary>
    public async Task ReportAsync(IAsyncEnumerable<StackSnapshot> snapshots, CancellationToken cancellationToken = default)
    {
        var ready = false;
        string? said = null;
        try
        {
            await foreach (var snapshot in snapshots.WithCancellation(cancellationToken))
            {
                var status = StatusLine(snapshot);
                if (!ready && Settled(snapshot))
                {
                    ready = true;
                    notify.Send($"READY=1\nSTATUS={status}");
                    said = status;
                }
                else if (status != said)
                {
                    notify.Send($"STATUS={status}");
                    said = status;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The daemon is stopping.
        }
    }

    /// <summary>The daemon stops the stack: systemd shows it as deactivating, with why.</summary>
    public void Stopping(string reason) => notify.Send($"STOPPING=1\nSTATUS=stopping the stack ({reason})");

    public static bool Settled(StackSnapshot snapshot) => snapshot.Components.All(c =>
        c.Verdict.Kind != VerdictKind.Starting || (c.Kind == Core.Model.ComponentKind.Rounds && c.Rounds is { SessionRounds: > 0 }));

    /// <summary>"starting: 3 of 5 up", then "5 up", or "4 up, 1 failed (web)" and the like.</summary>
    public static string StatusLine(StackSnapshot snapshot)
    {
        var total = snapshot.Components.Count;
        var up = snapshot.Components.Count(c => c.Verdict.IsUp);
        var bad = snapshot.Components.Where(c => c.Verdict.IsBad).Select(c => c.Name).ToList();
        var stopped = snapshot.Components.Count(c => c.Verdict.Kind == VerdictKind.Stopped);
        var starting = total - up - bad.Count - stopped;
        var parts = new List<string>();
        if (starting > 0)
        {
            parts.Add($"starting: {up} of {total} up");
        }
        else
        {
            parts.Add($"{up} up");
        }

        if (bad.Count > 0)
        {
            parts.Add($"{bad.Count} failed or stuck ({string.Join(", ", bad.Take(5))}{(bad.Count > 5 ? ", ..." : "")})");
        }

        if (stopped > 0)
        {
            parts.Add($"{stopped} stopped");
        }

        return string.Join(", ", parts);
    }
}
