using System.Globalization;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Supervision;

/// <summary>A rounds session's waits: a throttle until its time, the delay between rounds, each watching for a stop trigger.</summary>
public sealed partial class ComponentRunner
{
    private void Throttle(RoundDecision.Throttle throttle)
    {
        Update(() =>
        {
            _roundsProgress.ThrottleBucket = RoundBuckets.Name(throttle.Bucket);
            _roundsProgress.ThrottledUntil = throttle.Until;
            _roundsProgress.ThrottleAttempt = throttle.Attempt;
            _roundsProgress.ThrottleFromServer = throttle.FromServer;
        });

        // The state changes before the event, so that whoever reacts to the event sees the component throttled.
        SetThrottledState(RoundBuckets.Name(throttle.Bucket), throttle.Until);
        EmitThrottled(RoundBuckets.Name(throttle.Bucket), throttle.Until, throttle.Delay, throttle.Attempt, throttle.FromServer, restored: false);
    }

    private void SetThrottledState(string bucket, DateTimeOffset until) =>
        SetState(ComponentState.Throttled, $"{bucket}: no round before {until.ToLocalTime():yyyy-MM-dd HH:mm:ss}");

    private void EmitThrottled(string bucket, DateTimeOffset until, TimeSpan delay, int attempt, bool fromServer, bool restored) =>
        _services.Events.Emit(
            EventKinds.Rounds.RoundThrottled, Name,
            new("bucket", bucket), new("until", until.ToString("O", CultureInfo.InvariantCulture)), EventFields.Ms("delay_ms", delay),
            new("attempt", attempt), new("from_server", fromServer), new("restored", restored));

    /// <summary>Waits until the throttle's time (if any), then says rounds resume; returns a stop trigger that came first. A restored throttle is announced again.</summary>
    private async Task<StopTrigger?> WaitOutThrottleAsync(StopTriggers triggers, bool restored, CancellationToken stop)
    {
        string? bucket;
        DateTimeOffset? until;
        int attempt;
        bool fromServer;
        lock (_gate)
        {
            bucket = _roundsProgress.ThrottleBucket;
            until = _roundsProgress.ThrottledUntil;
            attempt = _roundsProgress.ThrottleAttempt;
            fromServer = _roundsProgress.ThrottleFromServer;
        }

        var now = _services.Time.GetUtcNow();
        if (bucket is null || until is not { } time)
        {
            return null;
        }

        if (time > now)
        {
            SetThrottledState(bucket, time);
            if (restored)
            {
                EmitThrottled(bucket, time, time - now, attempt, fromServer, restored: true);
            }

            if (await WaitUntilAsync(time, triggers, stop) is { } trigger)
            {
                return trigger;
            }
        }

        var since = _services.Time.GetUtcNow();
        _services.Events.Emit(EventKinds.Rounds.RoundThrottleRecovered, Name, new("bucket", bucket), EventFields.Ms("waited_ms", since - now));
        Update(() =>
        {
            _roundsProgress.ThrottleBucket = null;
            _roundsProgress.ThrottledUntil = null;
        });
        return null;
    }

    private async Task<StopTrigger?> WaitBetweenRoundsAsync(DateTimeOffset at, TimeSpan delay, string why, StopTriggers triggers, CancellationToken stop)
    {
        if (delay <= TimeSpan.Zero)
        {
            return null;
        }

        SetState(ComponentState.BetweenRounds, $"{why}; next round in {Core.Text.Quantities.FormatDuration(delay)}");
        return await WaitUntilAsync(at, triggers, stop);
    }

    /// <summary>Waits until <paramref name="at"/>; returns the stop trigger that appeared first, if one did (the loop then ends on it).</summary>
    private async Task<StopTrigger?> WaitUntilAsync(DateTimeOffset at, StopTriggers triggers, CancellationToken stop)
    {
        Update(() => _roundsProgress.NextRoundAt = at);
        try
        {
            while (true)
            {
                var now = _services.Time.GetUtcNow();
                var left = at - now;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                var sleeping = Task.Delay(left < TriggerPoll ? left : TriggerPoll, _services.Time, stop);
                if (_services.Time.JumpedSince(now))
                {
                    // The abandoned timer ends by itself within a poll.
                    continue;
                }

                await sleeping;
                int rounds;
                lock (_gate)
                {
                    rounds = _roundsProgress.SessionRounds;
                }

                // Only the files are looked at here: the round limit cannot change while waiting.
                if (triggers.Check(rounds, null) is { } trigger)
                {
                    return trigger;
                }
            }
        }
        finally
        {
            Update(() => _roundsProgress.NextRoundAt = null);
        }
    }
}
