using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Text;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Supervision;

/// <summary>How a round's process ended.</summary>
internal enum RoundEnd
{
    /// <summary>By itself.</summary>
    Exited,

    /// <summary>Stopped because the session was stopped.</summary>
    Stopped,

    /// <summary>Stopped after its result and grace period, with nothing else of its group at work.</summary>
    GraceKill,

    /// <summary>Stopped at its wall-clock limit.</summary>
    TimeoutKill,
}

public sealed partial class ComponentRunner
{
    /// <summary>
    /// Waits for the round to end by itself, or ends it: at the session's stop, at its timeout
    /// (whatever it is doing), or once its result was shown and the grace period passed with no
    /// process of its group at work other than the leader and the ignored helpers. While others
    /// work, the round is left alone and looked at again each grace period.
    /// </summary>
    private async Task<RoundEnd> WaitForRoundEndAsync(int pid, int run, RoundsPolicy policy, TimeSpan timeout, RoundWatcher watcher, Task exited, CancellationToken stop)
    {
        var deadline = _services.Time.GetUtcNow() + timeout;
        DateTimeOffset? graceAt = null;
        string? lastLive = null;
        // Scoped to the round, so that rounds by the thousand leave no registrations on the session's token.
        using var roundScope = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var stopRequested = Task.Delay(Timeout.InfiniteTimeSpan, _services.Time, roundScope.Token);
        try
        {
            return await WaitAsync();
        }
        finally
        {
            await roundScope.CancelAsync();
        }

        async Task<RoundEnd> WaitAsync()
        {
            while (true)
            {
                var now = _services.Time.GetUtcNow();
                var wakeAt = graceAt is { } grace && grace < deadline ? grace : deadline;
                using var timer = new CancellationTokenSource();
                // At most a day at a time: Task.Delay takes no more than 49 days.
                var sleep = wakeAt > now ? wakeAt - now : TimeSpan.Zero;
                var sleeping = Task.Delay(sleep < TimeSpan.FromDays(1) ? sleep : TimeSpan.FromDays(1), _services.Time, timer.Token);
                var result = graceAt is null && policy.ResultPattern is not null ? watcher.ResultSeen : Task.Delay(Timeout.InfiniteTimeSpan, _services.Time, timer.Token);
                if (_services.Time.JumpedSince(now))
                {
                    await timer.CancelAsync();
                    continue;
                }

                var first = await Task.WhenAny(exited, stopRequested, result, sleeping);
                await timer.CancelAsync();
                if (first == exited)
                {
                    return RoundEnd.Exited;
                }

                if (first == stopRequested)
                {
                    await StopGroupAsync(pid, run, _stopReason ?? "stop requested", _stopSignal);
                    await exited;
                    return RoundEnd.Stopped;
                }

                if (first == result)
                {
                    graceAt = await watcher.ResultSeen + policy.GraceAfterResult;
                    continue;
                }

                now = _services.Time.GetUtcNow();
                if (now >= deadline)
                {
                    _services.Events.Emit(EventKinds.Rounds.RoundTimeoutKill, Name, new("run", run), EventFields.Ms("timeout_ms", timeout), EventFields.List("alive", ProcessGroupStopper.Describe(pid)));
                    await StopGroupAsync(pid, run, $"round {run} ran past its timeout of {Core.Text.Quantities.FormatDuration(timeout)}", null);
                    await exited;
                    return RoundEnd.TimeoutKill;
                }

                if (graceAt is { } due && now >= due)
                {
                    var (live, ignored) = Workers(pid, policy);
                    if (live.Count == 0)
                    {
                        _services.Events.Emit(EventKinds.Rounds.RoundGraceKill, Name, new("run", run), EventFields.Ms("grace_ms", policy.GraceAfterResult), EventFields.List("ignored_children", ignored));
                        await StopGroupAsync(pid, run, $"round {run} showed its result {Core.Text.Quantities.FormatDuration(policy.GraceAfterResult)} ago and is idle", null);
                        await exited;
                        return RoundEnd.GraceKill;
                    }

                    var described = string.Join('\n', live);
                    if (described != lastLive)
                    {
                        lastLive = described;
                        _services.Events.Emit(EventKinds.Rounds.RoundGraceExtended, Name, new("run", run), EventFields.Ms("grace_ms", policy.GraceAfterResult), EventFields.List("live_children", live), EventFields.List("ignored_children", ignored));
                    }

                    graceAt = now + policy.GraceAfterResult;
                }
            }
        }
    }

    /// <summary>The group's live processes other than the leader, split into those at work and those the ignore patterns name.</summary>
    private static (List<string> Live, List<string> Ignored) Workers(int leader, RoundsPolicy policy)
    {
        var live = new List<string>();
        var ignored = new List<string>();
        foreach (var member in ProcStat.GroupMembers(leader).Where(m => m.Pid != leader))
        {
            var commandLine = ProcStat.CommandLine(member.Pid);
            (policy.GraceIgnore.Any(p => p.IsMatchInTime(commandLine)) ? ignored : live).Add(ProcessGroupStopper.Describe(member.Pid, commandLine));
        }

        return (live, ignored);
    }
}
