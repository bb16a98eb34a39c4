using System.Globalization;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Supervision;

/// <summary>A <c>kind = "rounds"</c> session: hooks, rounds, the pace between them, and the triggers that end it.</summary>
public sealed partial class ComponentRunner
{
    /// <summary>How often a wait between rounds looks for a sentinel or stop file that appeared meanwhile.</summary>
    private static readonly TimeSpan TriggerPoll = TimeSpan.FromSeconds(1);

    private readonly RoundsProgress _roundsProgress = new();
    private RoundPacer? _pacer;
    private int? _maxRoundsOverride;

    /// <summary>The round limit this session was started with (<c>--max-rounds</c>), carried over when a reload restarts it.</summary>
    public int? MaxRoundsOverride
    {
        get
        {
            lock (_gate)
            {
                return _maxRoundsOverride;
            }
        }
    }

    /// <summary>Carries a previous daemon's record over: above all a throttle, which must outlive the daemon.</summary>
    public void Restore(RoundsSnapshot previous)
    {
        lock (_gate)
        {
            _roundsProgress.Restore(previous);
        }
    }

    private RoundsSnapshot? RoundsSnapshot() => Component.Kind == ComponentKind.Rounds ? _roundsProgress.Snapshot() : null;

    private async Task SuperviseRoundsAsync(CancellationToken stop)
    {
        var policy = Component.Rounds!;
        var logDirectory = _services.Output.LogDirectory(Name);
        Directory.CreateDirectory(logDirectory);
        var triggers = new StopTriggers(policy, logDirectory);
        // A new session starts with no short crashes counted; only the throttle's exponent carries over.
        _pacer = new RoundPacer(policy, _services.Random);
        int restoredAttempt;
        lock (_gate)
        {
            _roundsProgress.SentinelPath = triggers.SentinelPath;
            _roundsProgress.StopFilePath = triggers.StopFilePath;
            _roundsProgress.MaxRounds = _maxRoundsOverride ?? policy.MaxRounds;
            _roundsProgress.SessionRounds = 0;
            _roundsProgress.ShortCrashStreak = 0;
            _roundsProgress.EndedBy = null;
            restoredAttempt = _roundsProgress.ThrottleAttempt;
        }

        _pacer.Restore(restoredAttempt);
        if (triggers.ClearStaleSentinel() is { } stale)
        {
            _services.Events.Emit(EventKinds.Rounds.RoundsSentinelCleared, Name, new("path", triggers.SentinelPath), new("reason", stale));
        }

        if (policy.Hooks.OnStart is { } onStart && !await RunOnStartAsync(onStart, policy, logDirectory, stop))
        {
            return;
        }

        // A trigger seen during a wait ends the session even if its file is gone by the next look.
        var seen = await WaitOutThrottleAsync(triggers, restored: true, stop);
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            if (EndByTrigger(triggers, seen))
            {
                return;
            }

            var outcome = await RunRoundAsync(policy, logDirectory, stop);
            if (outcome is null)
            {
                return;
            }

            var decision = _pacer.After(outcome, _services.Time.GetUtcNow());
            Update(() =>
            {
                _roundsProgress.ShortCrashStreak = _pacer.ShortCrashStreak;
                _roundsProgress.ThrottleAttempt = _pacer.TransientAttempt;
            });
            // A failure that stops the rounds is told as such, even when a trigger would have
            // ended the session here anyway: an `up --once` whose round failed auth did not complete.
            if (decision is RoundDecision.Halt halt)
            {
                await HaltAsync(halt, outcome);
                return;
            }

            if (EndByTrigger(triggers, null))
            {
                return;
            }

            switch (decision)
            {
                case RoundDecision.Throttle throttle:
                    Throttle(throttle);
                    seen = await WaitOutThrottleAsync(triggers, restored: false, stop);
                    break;
                case RoundDecision.Next next:
                    // The time is fixed before anything is said about it, so that a clock moved on meanwhile cannot stretch the wait.
                    var at = _services.Time.GetUtcNow() + next.Delay;
                    if (next.ShortCrashStreak > 0)
                    {
                        _services.Events.Emit(EventKinds.Rounds.RoundShortCrash, Name, new("run", _run), new("last_exit", outcome.Describe()), EventFields.Ms("duration_ms", outcome.Duration), new("streak", next.ShortCrashStreak), EventFields.Ms("delay_ms", next.Delay));
                    }

                    seen = await WaitBetweenRoundsAsync(at, next.Delay, outcome.Ok ? $"round {_run} went well" : $"round {_run} failed ({outcome.Describe()})", triggers, stop);
                    break;
            }
        }
    }

    /// <summary>Checks the three stop triggers (or takes one already seen); when one fires, ends the session as completed with its event.</summary>
    private bool EndByTrigger(StopTriggers triggers, StopTrigger? seen)
    {
        int rounds;
        int? max;
        lock (_gate)
        {
            rounds = _roundsProgress.SessionRounds;
            max = _roundsProgress.MaxRounds;
        }

        if ((seen ?? triggers.Check(rounds, max)) is not { } trigger)
        {
            return false;
        }

        var fields = trigger.Kind == EventKinds.Rounds.RoundsSentinel ? [new("path", trigger.Path!), new("reason", trigger.Content!), new("rounds", rounds)]
            : trigger.Kind == EventKinds.Rounds.RoundsStopFile ? [new("path", trigger.Path!), new("rounds", rounds)]
            : new EventField[] { new("rounds", rounds), new("max_rounds", max ?? 0) };
        _services.Events.Emit(trigger.Kind, Name, fields);
        Update(() =>
        {
            _roundsProgress.EndedBy = trigger.Kind.Name;
            _roundsProgress.NextRoundAt = null;
        });
        SetState(ComponentState.Completed, trigger.Reason);
        return true;
    }

    private async Task HaltAsync(RoundDecision.Halt halt, RoundOutcome outcome)
    {
        var tail = await TailLinesAsync();
        switch (halt.State)
        {
            case ComponentState.ConfigBroken:
                _services.Events.Emit(EventKinds.ConfigBroken, Name, new("run", _run), new("exit_code", 78), EventFields.List("log_tail", tail));
                break;
            case ComponentState.CrashLoop:
                _services.Events.Emit(EventKinds.Rounds.RoundsCrashLoop, Name, new("streak", _pacer!.ShortCrashStreak), new("last_exit", outcome.Describe()), EventFields.List("log_tail", tail));
                break;
            default:
                var classified = outcome.Classification!;
                _services.Events.Emit(EventKinds.Rounds.RoundsStoppedByRule, Name, new("run", _run), new("bucket", RoundBuckets.Name(classified.Bucket)), new("rule", classified.Rule.Origin));
                break;
        }

        Update(() => _roundsProgress.EndedBy = halt.State.Name());
        SetState(halt.State, $"{halt.Reason}; fix it, then `tend start {Name}`");
    }

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

    private async Task<bool> RunOnStartAsync(IReadOnlyList<string> argv, RoundsPolicy policy, string logDirectory, CancellationToken stop)
    {
        SetState(ComponentState.Starting, "on_start hook");
        var environment = RoundEnvironment(null, logDirectory, null);
        var result = await HookRunner.RunAsync(argv, Component.WorkingDirectory, environment, policy.Hooks.Timeout, _services, [], stop);
        if (!result.Ok)
        {
            _services.Events.Emit(EventKinds.Rounds.HookFailed, Name, new("hook", "on_start"), EventFields.List("argv", Redactor.RedactLines(argv)), new("error", result.Error!), EventFields.List("output_tail", result.OutputTail));
            SetState(ComponentState.Failed, $"on_start hook failed: {result.Error}; fix it, then `tend start {Name}`");
            return false;
        }

        _services.Events.Emit(EventKinds.Rounds.HookRan, Name, new("hook", "on_start"), EventFields.List("argv", Redactor.RedactLines(argv)), EventFields.Ms("duration_ms", result.Duration));
        return true;
    }

    /// <summary>The round's environment: the component's, its phase's, and where it is in the rotation.</summary>
    private Dictionary<string, string> RoundEnvironment(RoundPhase? phase, string logDirectory, int? round)
    {
        var environment = new Dictionary<string, string>(ChildEnvironment.For(Component, _supervisor.Stack), StringComparer.Ordinal);
        foreach (var (key, value) in phase?.Environment ?? ValueDictionary.Empty)
        {
            environment[key] = value;
        }

        environment["TEND_LOG_DIR"] = logDirectory;
        environment["TEND_PHASE"] = phase?.Name ?? "";
        if (round is { } number)
        {
            environment["TEND_ROUND"] = number.ToString(CultureInfo.InvariantCulture);
            environment["TEND_RUN"] = environment["TEND_ROUND"];
        }

        return environment;
    }
}
