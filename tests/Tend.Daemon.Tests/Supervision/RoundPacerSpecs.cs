using System.Text.RegularExpressions;
using Tend.Core.Model;
using Tend.Core.Rounds;
using Tend.Core.Status;
using Tend.Daemon.Supervision;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>
/// The arithmetic between rounds, without processes or clocks: what comes after a good round, a
/// short crash, a long failure, exit 78, and a failure the output classified, with a seeded
/// <see cref="Random"/> so that every jitter is repeatable.
/// </summary>
public sealed class RoundPacerSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(60);

    private static RoundsPolicy Policy(int crashLoopAfter = 5, TimeSpan? backOffMax = null, TimeSpan? failureDelay = null) => new(
        Delay: Delay,
        FailureDelay: failureDelay ?? FailureDelay,
        Timeout: TimeSpan.FromHours(1),
        MaxRounds: null,
        Sentinel: RoundsPolicy.DefaultSentinel,
        StopFile: null,
        ResultPattern: null,
        GraceAfterResult: TimeSpan.FromSeconds(60),
        GraceIgnore: [],
        ShortCrash: TimeSpan.FromSeconds(60),
        CrashLoopAfter: crashLoopAfter,
        BackOffMax: backOffMax ?? TimeSpan.FromHours(6),
        ResetJitterMin: TimeSpan.FromSeconds(5),
        ResetJitterMax: TimeSpan.FromSeconds(30),
        Prompt: null,
        Phases: [],
        Hooks: RoundHooks.None,
        Classify: []);

    private static RoundPacer Pacer(RoundsPolicy? policy = null, int seed = 42) => new(policy ?? Policy(), new Random(seed));

    private static ClassifyRule Rule(RoundBucket bucket, RoundAction action, TimeSpan? backOff = null) =>
        new(bucket, new Regex("x"), [], null, action, backOff ?? TimeSpan.FromSeconds(60), "test[0]");

    private static RoundClassification Classified(RoundBucket bucket, RoundAction action = RoundAction.BackOff, DateTimeOffset? resetAt = null, TimeSpan? backOff = null, string line = "the line") =>
        new(Rule(bucket, action, backOff), bucket, resetAt, line);

    private static RoundOutcome Ok() => new(true, 0, null, TimeSpan.FromMinutes(5), false, null);

    private static RoundOutcome ShortCrash(int exitCode = 1) => new(false, exitCode, null, TimeSpan.FromSeconds(3), false, null);

    private static RoundOutcome LongFailure() => new(false, 1, null, TimeSpan.FromMinutes(5), false, null);

    /// <summary>A failed round the output classified; short, so it would count as a crash if it counted at all.</summary>
    private static RoundOutcome Failed(RoundClassification classification, int exitCode = 1) =>
        new(false, exitCode, null, TimeSpan.FromSeconds(3), false, classification);

    private static void ShouldBeNext(RoundDecision decision, TimeSpan delay, int streak) =>
        decision.ShouldBeOfType<RoundDecision.Next>().ShouldBe(new RoundDecision.Next(delay, streak));

    // ---- Good rounds and exit 78 ----

    [Fact]
    public void A_good_round_is_followed_by_the_delay()
    {
        var pacer = Pacer();

        ShouldBeNext(pacer.After(Ok(), Now), Delay, 0);
        ShouldBeNext(pacer.After(Ok(), Now), Delay, 0);
    }

    [Fact]
    public void Exit_78_halts_as_config_broken()
    {
        var halt = Pacer().After(ShortCrash(exitCode: 78), Now).ShouldBeOfType<RoundDecision.Halt>();

        halt.State.ShouldBe(ComponentState.ConfigBroken);
        halt.Reason.ShouldContain("78");
    }

    [Theory]
    [InlineData(RoundAction.BackOff)]
    [InlineData(RoundAction.Alert)]
    [InlineData(RoundAction.Stop)]
    public void Exit_78_halts_as_config_broken_even_when_the_output_was_classified(RoundAction action)
    {
        var outcome = Failed(Classified(RoundBucket.RateLimit, action), exitCode: 78);

        Pacer().After(outcome, Now).ShouldBeOfType<RoundDecision.Halt>().State.ShouldBe(ComponentState.ConfigBroken);
    }

    // ---- Short crashes ----

    [Fact]
    public void Unclassified_short_crashes_double_the_failure_delay_until_the_fifth_halts_as_a_crash_loop()
    {
        var pacer = Pacer();

        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay, 1);
        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay * 2, 2);
        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay * 4, 3);
        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay * 8, 4);
        pacer.ShortCrashStreak.ShouldBe(4);

        var halt = pacer.After(ShortCrash(exitCode: 3), Now).ShouldBeOfType<RoundDecision.Halt>();
        halt.State.ShouldBe(ComponentState.CrashLoop);
        halt.Reason.ShouldBe("5 rounds in a row failed within 1m, last: exit code 3");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void The_crash_loop_comes_after_crash_loop_after_short_crashes_in_a_row(int crashLoopAfter)
    {
        var pacer = Pacer(Policy(crashLoopAfter));

        for (var i = 1; i < crashLoopAfter; i++)
        {
            pacer.After(ShortCrash(), Now).ShouldBeOfType<RoundDecision.Next>().ShortCrashStreak.ShouldBe(i);
        }

        pacer.After(ShortCrash(), Now).ShouldBeOfType<RoundDecision.Halt>().State.ShouldBe(ComponentState.CrashLoop);
    }

    [Fact]
    public void The_doubling_delay_of_short_crashes_stops_at_back_off_max()
    {
        var pacer = Pacer(Policy(crashLoopAfter: 10, backOffMax: TimeSpan.FromMinutes(5)));

        var delays = Enumerable.Range(0, 6).Select(_ => pacer.After(ShortCrash(), Now).ShouldBeOfType<RoundDecision.Next>().Delay).ToList();

        delays.ShouldBe([
            TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4),
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5),
        ]);
    }

    [Fact]
    public void A_long_failure_resets_the_short_crash_streak()
    {
        var pacer = Pacer();
        pacer.After(ShortCrash(), Now);
        pacer.After(ShortCrash(), Now);
        pacer.After(ShortCrash(), Now);
        pacer.After(ShortCrash(), Now);

        ShouldBeNext(pacer.After(LongFailure(), Now), FailureDelay, 0);
        pacer.ShortCrashStreak.ShouldBe(0);

        // Counting starts again: four more short crashes are not yet a loop.
        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay, 1);
        pacer.After(ShortCrash(), Now);
        pacer.After(ShortCrash(), Now);
        pacer.After(ShortCrash(), Now).ShouldBeOfType<RoundDecision.Next>().ShortCrashStreak.ShouldBe(4);
    }

    [Fact]
    public void A_round_killed_at_its_timeout_is_no_short_crash_however_short_its_timeout()
    {
        var pacer = Pacer(Policy(crashLoopAfter: 2));
        var timedOut = new RoundOutcome(false, null, 9, TimeSpan.FromSeconds(5), true, null);

        ShouldBeNext(pacer.After(timedOut, Now), FailureDelay, 0);
        ShouldBeNext(pacer.After(timedOut, Now), FailureDelay, 0);
        ShouldBeNext(pacer.After(timedOut, Now), FailureDelay, 0);
    }

    [Fact]
    public void A_good_round_resets_the_short_crash_streak_and_the_back_off_attempt()
    {
        var pacer = Pacer();
        pacer.After(ShortCrash(), Now);
        pacer.After(ShortCrash(), Now);
        pacer.After(Failed(Classified(RoundBucket.ServerError)), Now);
        pacer.After(Failed(Classified(RoundBucket.ServerError)), Now);
        pacer.After(ShortCrash(), Now);
        pacer.ShortCrashStreak.ShouldBe(1);
        pacer.TransientAttempt.ShouldBe(2);

        ShouldBeNext(pacer.After(Ok(), Now), Delay, 0);

        pacer.ShortCrashStreak.ShouldBe(0);
        pacer.TransientAttempt.ShouldBe(0);
        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay, 1);
        pacer.After(Failed(Classified(RoundBucket.ServerError)), Now).ShouldBeOfType<RoundDecision.Throttle>().Attempt.ShouldBe(1);
    }

    // ---- Classified back-off: the server's reset time ----

    [Fact]
    public void A_limit_with_a_reset_time_throttles_until_then_plus_jitter_from_the_server()
    {
        var reset = Now.AddHours(2);
        for (var seed = 0; seed < 200; seed++)
        {
            var throttle = Pacer(seed: seed).After(Failed(Classified(RoundBucket.RateLimitReset, resetAt: reset)), Now).ShouldBeOfType<RoundDecision.Throttle>();

            throttle.Bucket.ShouldBe(RoundBucket.RateLimitReset);
            throttle.FromServer.ShouldBeTrue();
            throttle.Attempt.ShouldBe(1);
            throttle.Until.ShouldBeInRange(reset.AddSeconds(5), reset.AddSeconds(30));
            throttle.Delay.ShouldBe(throttle.Until - Now);
        }
    }

    [Fact]
    public void The_jitter_spreads_over_the_whole_reset_jitter_range()
    {
        var reset = Now.AddMinutes(10);
        var jitters = Enumerable.Range(0, 200)
            .Select(seed => Pacer(seed: seed).After(Failed(Classified(RoundBucket.RateLimitReset, resetAt: reset)), Now).ShouldBeOfType<RoundDecision.Throttle>().Until - reset)
            .ToList();

        jitters.Min().ShouldBeLessThan(TimeSpan.FromSeconds(8));
        jitters.Max().ShouldBeGreaterThan(TimeSpan.FromSeconds(27));
        jitters.Distinct().Count().ShouldBeGreaterThan(100);
    }

    [Fact]
    public void A_reset_time_already_past_throttles_from_now_plus_jitter()
    {
        var throttle = Pacer().After(Failed(Classified(RoundBucket.RateLimitReset, resetAt: Now.AddHours(-3))), Now).ShouldBeOfType<RoundDecision.Throttle>();

        throttle.Until.ShouldBeInRange(Now.AddSeconds(5), Now.AddSeconds(30));
        throttle.Delay.ShouldBeInRange(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        throttle.FromServer.ShouldBeTrue();
    }

    [Fact]
    public void The_same_seed_gives_the_same_throttle()
    {
        var outcome = Failed(Classified(RoundBucket.RateLimitReset, resetAt: Now.AddMinutes(30)));

        var first = Pacer(seed: 7).After(outcome, Now);
        var second = Pacer(seed: 7).After(outcome, Now);

        second.ShouldBe(first);
    }

    // ---- Classified back-off: exponential ----

    [Fact]
    public void Without_a_reset_time_the_back_off_doubles_from_the_rule_base_within_twenty_percent()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var pacer = Pacer(seed: seed);
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                var throttle = pacer.After(Failed(Classified(RoundBucket.ServerError, backOff: TimeSpan.FromSeconds(30))), Now).ShouldBeOfType<RoundDecision.Throttle>();

                var raw = TimeSpan.FromSeconds(30 * Math.Pow(2, attempt - 1));
                throttle.Attempt.ShouldBe(attempt);
                throttle.Bucket.ShouldBe(RoundBucket.ServerError);
                throttle.FromServer.ShouldBeFalse();
                throttle.Delay.ShouldBeInRange(raw * 0.8, raw * 1.2);
                throttle.Until.ShouldBe(Now + throttle.Delay);
            }
        }
    }

    [Fact]
    public void The_exponential_back_off_never_passes_back_off_max()
    {
        var max = TimeSpan.FromMinutes(10);
        for (var seed = 0; seed < 50; seed++)
        {
            var pacer = Pacer(Policy(backOffMax: max), seed);
            var delays = Enumerable.Range(0, 12)
                .Select(_ => pacer.After(Failed(Classified(RoundBucket.RateLimit)), Now).ShouldBeOfType<RoundDecision.Throttle>().Delay)
                .ToList();

            delays.ShouldAllBe(d => d <= max);

            // Long past the cap, the delay sits in the top fifth below it.
            delays[^1].ShouldBeInRange(max * 0.8, max);
        }
    }

    [Fact]
    public void A_failure_classified_back_off_never_counts_toward_the_crash_loop()
    {
        var pacer = Pacer(Policy(crashLoopAfter: 2));

        for (var i = 0; i < 10; i++)
        {
            pacer.After(Failed(Classified(RoundBucket.ServerError)), Now).ShouldBeOfType<RoundDecision.Throttle>();
            pacer.ShortCrashStreak.ShouldBe(0);
        }

        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay, 1);
        pacer.After(Failed(Classified(RoundBucket.Timeout)), Now).ShouldBeOfType<RoundDecision.Throttle>();
        ShouldBeNext(pacer.After(ShortCrash(), Now), FailureDelay, 1);
    }

    [Fact]
    public void A_restored_attempt_continues_the_exponent()
    {
        var pacer = Pacer();

        pacer.Restore(3);

        pacer.TransientAttempt.ShouldBe(3);
        var throttle = pacer.After(Failed(Classified(RoundBucket.RateLimit, backOff: TimeSpan.FromSeconds(60))), Now).ShouldBeOfType<RoundDecision.Throttle>();
        throttle.Attempt.ShouldBe(4);
        throttle.Delay.ShouldBeInRange(TimeSpan.FromSeconds(480 * 0.8), TimeSpan.FromSeconds(480 * 1.2));
    }

    [Fact]
    public void A_negative_restored_attempt_starts_the_back_off_over()
    {
        var pacer = Pacer();

        pacer.Restore(-4);

        pacer.TransientAttempt.ShouldBe(0);
        pacer.After(Failed(Classified(RoundBucket.RateLimit)), Now).ShouldBeOfType<RoundDecision.Throttle>().Attempt.ShouldBe(1);
    }

    // ---- Actions other than back-off ----

    [Fact]
    public void A_stop_rule_halts_the_rounds_as_failed_naming_the_bucket_and_the_line()
    {
        var halt = Pacer().After(Failed(Classified(RoundBucket.Auth, RoundAction.Stop, line: "Invalid API key · Please run /login")), Now)
            .ShouldBeOfType<RoundDecision.Halt>();

        halt.State.ShouldBe(ComponentState.Failed);
        halt.Reason.ShouldContain("auth");
        halt.Reason.ShouldContain("Invalid API key · Please run /login");
    }

    [Fact]
    public void A_long_failure_an_alert_rule_matched_runs_the_next_round_after_the_failure_delay()
    {
        var pacer = Pacer(Policy(failureDelay: TimeSpan.FromSeconds(45)));
        var alert = Classified(RoundBucket.Network, RoundAction.Alert);
        var longAlert = new RoundOutcome(false, 1, null, TimeSpan.FromMinutes(5), false, alert);

        ShouldBeNext(pacer.After(longAlert, Now), TimeSpan.FromSeconds(45), 0);
        ShouldBeNext(pacer.After(longAlert, Now), TimeSpan.FromSeconds(45), 0);
        pacer.TransientAttempt.ShouldBe(0);
    }

    [Fact]
    public void Short_failures_an_alert_rule_matched_count_toward_the_crash_loop()
    {
        // Issue 8: an alert slows nothing by itself; a round failing at once, every time, ran 19 times in 2 s.
        var pacer = Pacer(Policy(crashLoopAfter: 3, failureDelay: TimeSpan.FromSeconds(1)));
        var alert = Classified(RoundBucket.Network, RoundAction.Alert);

        ShouldBeNext(pacer.After(Failed(alert), Now), TimeSpan.FromSeconds(1), 1);
        ShouldBeNext(pacer.After(Failed(alert), Now), TimeSpan.FromSeconds(2), 2);
        var halt = pacer.After(Failed(alert), Now).ShouldBeOfType<RoundDecision.Halt>();

        halt.State.ShouldBe(ComponentState.CrashLoop);
        halt.Reason.ShouldBe("3 rounds in a row failed within 1m, last: exit code 1");
    }
}
