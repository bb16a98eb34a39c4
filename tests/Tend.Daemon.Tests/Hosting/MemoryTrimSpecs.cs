using Microsoft.Extensions.Time.Testing;
using Tend.Daemon.Hosting;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Hosting;

/// <summary>The daemon gives memory back once a burst of work has been followed by quiet, and not more than once a minute.</summary>
public sealed class MemoryTrimSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task A_burst_followed_by_quiet_is_trimmed_once_and_a_flapping_stack_at_most_once_a_minute()
    {
        var time = new FakeTimeProvider();
        var changed = new Changed();
        var trims = 0;
        var trimmed = new SemaphoreSlim(0);
        using var stopping = new CancellationTokenSource();
        var running = new MemoryTrim(changed, time, () =>
        {
            trims++;
            trimmed.Release();
        }).RunAsync(stopping.Token);

        // Start-up's burst, then three quiet seconds.
        await AdvanceAsync(time, TimeSpan.FromSeconds(3));
        (await trimmed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeTrue("quiet after start-up trims");

        // Bursts a little later, quiet in between: the next trim waits for the minute to pass.
        changed.Signal();
        await AdvanceAsync(time, TimeSpan.FromSeconds(10));
        changed.Signal();
        await AdvanceAsync(time, TimeSpan.FromSeconds(10));
        trims.ShouldBe(1, "less than a minute after the last trim");
        await AdvanceAsync(time, TimeSpan.FromMinutes(1));
        (await trimmed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeTrue("once the minute passed, the quiet is trimmed");

        await stopping.CancelAsync();
        await running;
        trims.ShouldBe(2);
    }

    [Fact(Timeout = 30_000)]
    public async Task Requests_to_the_http_face_are_a_burst_that_is_trimmed_after_quiet()
    {
        var time = new FakeTimeProvider();
        var changed = new Changed();
        var activity = new Changed();
        var trimmed = new SemaphoreSlim(0);
        using var stopping = new CancellationTokenSource();
        var running = new MemoryTrim(changed, time, () => trimmed.Release(), activity: activity).RunAsync(stopping.Token);
        await AdvanceAsync(time, TimeSpan.FromSeconds(3));
        (await trimmed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeTrue("start-up");

        // Past the minute, no change of the stack: only requests.
        await AdvanceAsync(time, TimeSpan.FromMinutes(1));
        activity.Signal();
        await AdvanceAsync(time, TimeSpan.FromSeconds(1));
        activity.Signal();
        (await trimmed.WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken)).ShouldBeFalse("not while requests come");
        await AdvanceAsync(time, TimeSpan.FromSeconds(4));
        (await trimmed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeTrue("the quiet after the requests trims");

        await stopping.CancelAsync();
        await running;
    }

    /// <summary>Moves the fake clock a second at a time, letting the loop arm its next timer in between.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan span)
    {
        for (var moved = TimeSpan.Zero; moved < span; moved += TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
