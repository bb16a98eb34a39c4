using System.Globalization;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
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
        var tail = await TailLinesAsync(_run);
        switch (halt.State)
        {
            case ComponentState.ConfigBroken:
                _services.Events.Emit(EventKinds.ConfigBroken, Name, new("run", _run), new("exit_code", ExitStatus.ConfigError), EventFields.List("log_tail", tail));
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
}
