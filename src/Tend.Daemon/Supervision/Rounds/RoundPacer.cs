using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Rounds;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>How one round ended, as far as pacing the next is concerned.</summary>
/// <param name="Error">Why the round could not start at all (a failed pre_round hook); null when it ran.</param>
public sealed record RoundOutcome(bool Ok, int? ExitCode, int? Signal, TimeSpan Duration, bool TimedOut, RoundClassification? Classification, string? Error = null)
{
    public string Describe() => Error is not null ? Error
        : TimedOut ? "killed at its timeout"
        : Signal is { } signal ? $"killed by signal {signal}"
        : $"exit code {ExitCode}";
}

/// <summary>What comes after a round.</summary>
public abstract record RoundDecision
{
    /// <summary>The next round after <paramref name="Delay"/>; <paramref name="ShortCrashStreak"/> &gt; 0 after a short crash.</summary>
    public sealed record Next(TimeSpan Delay, int ShortCrashStreak) : RoundDecision;

    /// <summary>A transient failure: no round before <paramref name="Until"/>.</summary>
    public sealed record Throttle(RoundBucket Bucket, DateTimeOffset Until, TimeSpan Delay, int Attempt, bool FromServer) : RoundDecision;

    /// <summary>The component stops here, in <paramref name="State"/>, until `tend start`.</summary>
    public sealed record Halt(ComponentState State, string Reason) : RoundDecision;
}

/// <summary>
/// The arithmetic between rounds, pure so that it is tested without processes or clocks: the
/// delay after a good or failed round, the wait until a server's reset time (plus jitter) or an
/// exponential back-off for a classified transient failure, the doubling delay of unclassified
/// short crashes and the crash loop they end in, and exit 78.
/// </summary>
public sealed class RoundPacer(RoundsPolicy policy, Random random)
{
    /// <summary>Unclassified short crashes in a row.</summary>
    public int ShortCrashStreak { get; private set; }

    /// <summary>Classified back-offs since the last good round; the exponent of the next one.</summary>
    public int TransientAttempt { get; private set; }

    /// <summary>Carries the back-off exponent over from before a daemon restart.</summary>
    public void Restore(int transientAttempt) => TransientAttempt = Math.Max(0, transientAttempt);

    public RoundDecision After(RoundOutcome outcome, DateTimeOffset now)
    {
        if (outcome.ExitCode == ExitStatus.ConfigError)
        {
            return new RoundDecision.Halt(ComponentState.ConfigBroken, "the round exited with 78 (EX_CONFIG): its start-up checks failed");
        }

        if (outcome.Ok)
        {
            ShortCrashStreak = 0;
            TransientAttempt = 0;
            return new RoundDecision.Next(policy.Delay, 0);
        }

        // A rule that only alerts does not slow anything down by itself: a round failing the
        // same way at once, every time, is a crash loop all the same (issue 8: 19 rounds in 2 s).
        if (outcome.Classification is { } classified && classified.Rule.Action != RoundAction.Alert)
        {
            // A stop or a back-off paces the rounds itself: it does not count toward the crash loop.
            ShortCrashStreak = 0;
            return classified.Rule.Action switch
            {
                RoundAction.Stop => new RoundDecision.Halt(ComponentState.Failed, $"{RoundBuckets.Name(classified.Bucket)}: {Core.Events.Redactor.Redact(classified.Line)}"),
                _ => Throttle(classified, now),
            };
        }

        if (outcome.Duration < policy.ShortCrash && !outcome.TimedOut)
        {
            ShortCrashStreak++;
            if (ShortCrashStreak >= policy.CrashLoopAfter)
            {
                return new RoundDecision.Halt(ComponentState.CrashLoop, $"{ShortCrashStreak} rounds in a row failed within {Core.Text.Quantities.FormatDuration(policy.ShortCrash)}, last: {outcome.Describe()}");
            }

            return new RoundDecision.Next(BackoffCurve.Doubled(policy.FailureDelay, ShortCrashStreak - 1, policy.BackOffMax), ShortCrashStreak);
        }

        ShortCrashStreak = 0;
        return new RoundDecision.Next(policy.FailureDelay, 0);
    }

    private RoundDecision.Throttle Throttle(RoundClassification classified, DateTimeOffset now)
    {
        TransientAttempt++;
        if (classified.ResetAt is { } reset)
        {
            // The server said when: wait until then, plus jitter so that many clients do not all return at once.
            var jitter = Quantities.WholeMilliseconds(policy.ResetJitterMin + ((policy.ResetJitterMax - policy.ResetJitterMin) * random.NextDouble()));
            var until = (reset > now ? reset : now) + jitter;
            return new RoundDecision.Throttle(classified.Bucket, until, until - now, TransientAttempt, FromServer: true);
        }

        var delay = BackoffCurve.Jittered(BackoffCurve.Doubled(classified.Rule.BackOffBase, TransientAttempt - 1, policy.BackOffMax), random, TimeSpan.Zero, policy.BackOffMax);
        return new RoundDecision.Throttle(classified.Bucket, now + delay, delay, TransientAttempt, FromServer: false);
    }
}
