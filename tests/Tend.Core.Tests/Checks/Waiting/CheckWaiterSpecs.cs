using Microsoft.Extensions.Time.Testing;
using Tend.Core.Checks;
using Tend.Core.Checks.Waiting;
using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Tests.Checks.Waiting;

/// <summary>`tend wait` asks each check again until it has passed once, or the time is up; on a fake clock.</summary>
public sealed class CheckWaiterSpecs
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SteppedClock _time = new();

    /// <summary>A fake clock that tells when the waiter starts its wait between two tries, so the test moves time exactly then, never before.</summary>
    private sealed class SteppedClock() : FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero))
    {
        public SemaphoreSlim IntervalWaits { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == Interval)
            {
                IntervalWaits.Release();
            }

            return timer;
        }
    }

    /// <summary>A check that fails until it has been asked <paramref name="failures"/> times, counting its tries.</summary>
    private sealed record CountingCheck(string Label, int Failures) : CheckSpec
    {
        private int _tries;

        public int Tries => _tries;

        public override string Kind => "tcp";

        public override string Target => Label;

        public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(Interlocked.Increment(ref _tries) > Failures ? CheckOutcome.Pass("listening") : CheckOutcome.Fail("refused", $"connection refused to {Label}"));
    }

    /// <summary>A check that never answers: it waits until it is cancelled.</summary>
    private sealed record SilentCheck : CheckSpec
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Kind => "tcp";

        public override string Target => "silent:1";

        public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
        {
            Asked.TrySetResult();
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, context.Time, cancellationToken);
            return CheckOutcome.Pass("never");
        }
    }

    private WaitedCheck Waited(CheckSpec spec) =>
        new(new PlannedCheck(spec.Target, spec.Target, CheckRole.Preflight, spec, []), new CheckRunner(new CheckContext { BaseDirectory = "/", Time = _time }, RuleBook.With([])));

    /// <summary>Each time the waiter starts its wait between tries, moves the clock by that wait; until the wait ends.</summary>
    private async Task<WaitOutcome> Drive(Task<WaitOutcome> wait)
    {
        while (!wait.IsCompleted)
        {
            var pause = _time.IntervalWaits.WaitAsync(TestContext.Current.CancellationToken);
            if (await Task.WhenAny(pause, wait) == wait)
            {
                break;
            }

            _time.Advance(Interval);
        }

        return await wait;
    }

    [Fact(Timeout = 20_000)]
    public async Task A_check_that_fails_twice_is_asked_again_until_it_passes_and_then_no_more()
    {
        var database = new CountingCheck("db:5432", Failures: 2);
        var cache = new CountingCheck("cache:6379", Failures: 0);
        var news = new List<WaitProgress>();

        var outcome = await Drive(new CheckWaiter(_time).WaitAsync([Waited(database), Waited(cache)], Interval, TimeSpan.FromMinutes(1), p => { lock (news) { news.Add(p); } }, TestContext.Current.CancellationToken));

        outcome.Passed.ShouldBeTrue();
        outcome.TimedOut.ShouldBeFalse();
        database.Tries.ShouldBe(3);
        cache.Tries.ShouldBe(1, "a check that passed is not asked again");
        outcome.PassedAfter["db:5432"].ShouldBe(TimeSpan.FromSeconds(2));
        outcome.PassedAfter["cache:6379"].ShouldBe(TimeSpan.Zero);
        // Three answers from the database, and only two of them news: the repeat of the same failure is not.
        news.Where(p => p.Result.Check.Id == "db:5432").Select(p => p.Changed).ShouldBe([true, false, true]);
    }

    [Fact(Timeout = 20_000)]
    public async Task At_the_timeout_the_wait_ends_with_each_failing_checks_last_answer()
    {
        var database = new CountingCheck("db:5432", Failures: int.MaxValue);
        var cache = new CountingCheck("cache:6379", Failures: 0);

        var outcome = await Drive(new CheckWaiter(_time).WaitAsync([Waited(database), Waited(cache)], Interval, TimeSpan.FromSeconds(5), null, TestContext.Current.CancellationToken));

        outcome.Passed.ShouldBeFalse();
        outcome.TimedOut.ShouldBeTrue();
        outcome.Elapsed.ShouldBe(TimeSpan.FromSeconds(5));
        database.Tries.ShouldBe(5, "tries at 0, 1, 2, 3 and 4 s; the one due at 5 s is the timeout");
        var failing = outcome.Failing.ShouldHaveSingleItem();
        failing.Outcome.Summary.ShouldBe("connection refused to db:5432");
    }

    [Fact(Timeout = 20_000)]
    public async Task A_check_still_on_its_first_try_at_the_timeout_says_it_never_answered()
    {
        var silent = new SilentCheck { Timeout = TimeSpan.FromMinutes(5) };
        var wait = new CheckWaiter(_time).WaitAsync([Waited(silent)], Interval, TimeSpan.FromSeconds(3), null, TestContext.Current.CancellationToken);
        await silent.Asked.Task.WaitAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3));
        var outcome = await wait;

        outcome.TimedOut.ShouldBeTrue();
        outcome.Failing.ShouldHaveSingleItem().Outcome.Summary.ShouldBe("no answer before the wait ran out of time");
    }

    [Fact(Timeout = 20_000)]
    public async Task Without_a_timeout_it_waits_as_long_as_it_takes()
    {
        var late = new CountingCheck("late:80", Failures: 600);

        var outcome = await Drive(new CheckWaiter(_time).WaitAsync([Waited(late)], Interval, null, null, TestContext.Current.CancellationToken));

        outcome.Passed.ShouldBeTrue();
        outcome.PassedAfter["late:80"].ShouldBe(TimeSpan.FromMinutes(10));
    }
}
