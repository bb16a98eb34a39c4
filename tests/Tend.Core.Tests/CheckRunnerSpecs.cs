using Microsoft.Extensions.Time.Testing;
using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Tests;

public sealed class CheckRunnerSpecs
{
    private sealed record FakeCheck(string Label, Func<CancellationToken, Task<CheckOutcome>> Body) : CheckSpec
    {
        public override string Kind => "tcp";

        public override string Target => Label;

        public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default) => Body(cancellationToken);
    }

    private static PlannedCheck Plan(string id, CheckSpec spec, params string[] after) => new(id, "api", CheckRole.Preflight, spec, after);

    private static CheckRunner Runner(TimeProvider time) =>
        new(new CheckContext { BaseDirectory = "/", Time = time }, RuleBook.With([]));

    [Fact(Timeout = 10_000)]
    public async Task Independent_checks_run_at_the_same_time()
    {
        var release = new TaskCompletionSource();
        var started = 0;
        async Task<CheckOutcome> Slow(CancellationToken token)
        {
            Interlocked.Increment(ref started);
            await release.Task.WaitAsync(token);
            return CheckOutcome.Pass("ok");
        }

        var run = Runner(TimeProvider.System).RunAsync([Plan("a", new FakeCheck("a", Slow)), Plan("b", new FakeCheck("b", Slow))], TestContext.Current.CancellationToken);
        while (Volatile.Read(ref started) < 2)
        {
            await Task.Yield();
        }

        // Both are running though neither has finished: they did not wait for each other.
        run.IsCompleted.ShouldBeFalse();
        release.SetResult();
        var results = await run;
        results.ShouldAllBe(r => r.Status == CheckStatus.Pass);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_check_that_never_answers_fails_as_a_timeout_after_its_own_limit()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var hang = new FakeCheck("10.255.255.1:5432", async token =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, time, token);
            return CheckOutcome.Pass("never");
        })
        { Timeout = TimeSpan.FromSeconds(2) };
        var quick = new FakeCheck("quick", _ => Task.FromResult(CheckOutcome.Pass("ok")));

        var run = Runner(time).RunAsync([Plan("hang", hang), Plan("quick", quick)], TestContext.Current.CancellationToken);
        var waited = await AdvanceUntilDone(time, started.Task, run);
        var results = await run;

        waited.ShouldBeInRange(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2050));

        results[0].Status.ShouldBe(CheckStatus.Fail);
        results[0].Outcome.ErrorClass.ShouldBe("timeout");
        results[0].Outcome.Summary.ShouldBe("no answer from 10.255.255.1:5432 within 2s");
        results[0].Diagnosis!.RuleId.ShouldBe("timeout");
        results[1].Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_check_that_ignores_its_token_is_abandoned_just_after_its_limit()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var stubborn = new FakeCheck("stubborn", _ =>
        {
            started.TrySetResult();
            return new TaskCompletionSource<CheckOutcome>().Task;
        })
        { Timeout = TimeSpan.FromSeconds(1) };

        var run = Runner(time).RunAsync([Plan("stubborn", stubborn)], TestContext.Current.CancellationToken);
        var waited = await AdvanceUntilDone(time, started.Task, run);
        var results = await run;

        results[0].Outcome.ErrorClass.ShouldBe("timeout");
        waited.ShouldBeInRange(TimeSpan.FromMilliseconds(1100), TimeSpan.FromMilliseconds(1150));
    }

    /// <summary>Once the check has started, moves fake time forward in 50 ms steps until the run completes; returns how much time passed.</summary>
    private static async Task<TimeSpan> AdvanceUntilDone(FakeTimeProvider time, Task started, Task task)
    {
        await started;
        var step = TimeSpan.FromMilliseconds(50);
        var waited = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            // Let the checks reach their awaits before time moves, so none misses a deadline.
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
            if (task.IsCompleted)
            {
                break;
            }

            time.Advance(step);
            waited += step;
        }

        return waited;
    }

    [Fact(Timeout = 10_000)]
    public async Task A_check_whose_dependency_failed_is_skipped_with_the_reason()
    {
        var database = new FakeCheck("db", _ => Task.FromResult(CheckOutcome.Fail("refused", "connection refused to 127.0.0.1:5432")));
        var ran = false;
        var migrations = new FakeCheck("migrations", _ =>
        {
            ran = true;
            return Task.FromResult(CheckOutcome.Pass("up to date"));
        });

        var results = await Runner(TimeProvider.System).RunAsync([Plan("db", database), Plan("migrations", migrations, "db")], TestContext.Current.CancellationToken);

        ran.ShouldBeFalse();
        results[1].Status.ShouldBe(CheckStatus.Skip);
        results[1].Outcome.Summary.ShouldBe("skipped: tcp db did not pass (connection refused to 127.0.0.1:5432)");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_check_that_throws_is_reported_as_its_own_failure_and_the_others_still_run()
    {
        var broken = new FakeCheck("broken", _ => throw new InvalidOperationException("boom"));
        var fine = new FakeCheck("fine", _ => Task.FromResult(CheckOutcome.Pass("ok")));

        var results = await Runner(TimeProvider.System).RunAsync([Plan("broken", broken), Plan("fine", fine)], TestContext.Current.CancellationToken);

        results[0].Outcome.ErrorClass.ShouldBe("internal");
        results[0].Outcome.Summary.ShouldContain("InvalidOperationException: boom");
        results[1].Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_optional_check_that_fails_only_warns()
    {
        var gpu = new FakeCheck("gpu", _ => Task.FromResult(CheckOutcome.Fail("no_gpu", "no NVIDIA GPU found"))) { Optional = true };

        var results = await Runner(TimeProvider.System).RunAsync([Plan("gpu", gpu)], TestContext.Current.CancellationToken);

        results[0].Outcome.Status.ShouldBe(CheckStatus.Fail);
        results[0].Status.ShouldBe(CheckStatus.Warn);
    }

    private sealed record NoGpu : CheckSpec
    {
        public override string Kind => "gpu";

        public override string Target => "nvidia";

        public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(CheckOutcome.Fail("no_gpu", "no NVIDIA GPU found"));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_optional_check_is_not_told_to_be_marked_optional()
    {
        var required = await Runner(TimeProvider.System).RunAsync([Plan("gpu", new NoGpu())], TestContext.Current.CancellationToken);
        var optional = await Runner(TimeProvider.System).RunAsync([Plan("gpu", new NoGpu { Optional = true })], TestContext.Current.CancellationToken);

        required[0].Diagnosis!.Actions.ShouldContain(a => a.Contains("optional = true", StringComparison.Ordinal));
        optional[0].Diagnosis!.Actions.ShouldNotContain(a => a.Contains("optional = true", StringComparison.Ordinal));
        optional[0].Diagnosis!.Actions.ShouldNotBeEmpty();
    }
}
