using System.Globalization;

namespace Tend.Core.Status;

/// <summary>
/// The last snapshot of a daemon that is gone, judged as it stands now: a run whose process is
/// no longer alive (its parent-death signal ended it, or it exited unwatched) is not "running"
/// any more, and one still alive runs unsupervised. Decided here, once, for every face that
/// reads state.json without a daemon.
/// </summary>
public static class DaemonGoneView
{
    /// <param name="stillRunning">Whether a recorded PID (with its start time) is the same live process.</param>
    public static StackSnapshot Of(StackSnapshot snapshot, Func<int, long?, bool> stillRunning)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(stillRunning);
        var seen = snapshot.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return snapshot with
        {
            Components = [.. snapshot.Components.Select(c => c.Pid is { } pid
                ? stillRunning(pid, c.PidStartTicks)
                    ? c with { Reason = $"unsupervised: its daemon is gone (pid {pid} still runs)" }
                    : c with { State = ComponentState.Stopped, Reason = $"ended with its daemon ({c.State.Words()} with pid {pid} when last seen, {seen} UTC)", Pid = null, PidStartTicks = null, Active = false }
                : c)],
        };
    }
}
