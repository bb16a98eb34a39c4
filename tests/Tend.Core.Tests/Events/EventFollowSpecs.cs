using Microsoft.Extensions.Time.Testing;
using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

public sealed class EventFollowSpecs
{
    [Fact(Timeout = 20_000)]
    public async Task Follow_yields_the_backlog_then_each_event_as_it_is_appended()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Numbered("2025-06-01T08:00:00Z", 1), Numbered("2025-06-01T08:00:01Z", 2), Numbered("2025-06-01T08:00:02Z", 3));
        var time = new FakeTimeProvider(At("2025-06-01T08:00:03Z"));
        await using var follow = Following.Start(directory.Path, time, backlog: 2);

        (await follow.NextAsync(2)).Numbers().ShouldBe([2L, 3L]);
        await follow.ShouldHaveNothingAsync();

        Write(directory.Path, Numbered("2025-06-01T08:00:04Z", 4));
        (await follow.NextAsync()).GetInteger("n").ShouldBe(4);

        Write(directory.Path, Numbered("2025-06-01T08:00:05Z", 5), Numbered("2025-06-01T08:00:06Z", 6));
        (await follow.NextAsync(2)).Numbers().ShouldBe([5L, 6L]);
        await follow.ShouldHaveNothingAsync();
    }

    [Fact(Timeout = 20_000)]
    public async Task Follow_without_a_backlog_starts_at_the_end()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Numbered("2025-06-01T08:00:00Z", 1));
        await using var follow = Following.Start(directory.Path, new FakeTimeProvider());

        await follow.ShouldHaveNothingAsync();
        Write(directory.Path, Numbered("2025-06-01T08:00:01Z", 2));

        (await follow.NextAsync()).GetInteger("n").ShouldBe(2);
    }

    [Fact(Timeout = 20_000)]
    public async Task Follow_yields_a_torn_line_only_once_its_newline_is_written()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        var two = EventJson.ToLineString(Numbered("2025-06-01T08:00:01Z", 2));
        directory.Write(Path.GetFileName(file), EventJson.ToLineString(Numbered("2025-06-01T08:00:00Z", 1)) + two[..20]);
        await using var follow = Following.Start(directory.Path, new FakeTimeProvider(), backlog: 10);

        (await follow.NextAsync()).GetInteger("n").ShouldBe(1);
        await follow.ShouldHaveNothingAsync();

        File.AppendAllText(file, two[20..^1]);
        await follow.ShouldHaveNothingAsync();

        File.AppendAllText(file, "\n");
        (await follow.NextAsync()).GetInteger("n").ShouldBe(2);
        follow.Reader.MalformedLines.ShouldBe(0);
    }

    [Fact(Timeout = 20_000)]
    public async Task Follow_crosses_midnight_into_the_next_days_file()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(At("2025-06-01T23:59:58Z"));
        using var log = new EventLog(directory.Path, time);
        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 1));
        await using var follow = Following.Start(directory.Path, time, backlog: 1);
        (await follow.NextAsync()).GetInteger("n").ShouldBe(1);

        // The follower's clock and the writer's are the same fake: its polls move the time past midnight.
        time.SetUtcNow(At("2025-06-02T00:00:01Z"));
        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 2));
        var next = await follow.NextAsync();

        next.GetInteger("n").ShouldBe(2);
        next.Day.ShouldBe(new DateOnly(2025, 6, 2));
        EventFiles.List(directory.Path).Count.ShouldBe(2);

        time.SetUtcNow(At("2025-06-03T00:00:01Z"));
        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 3));
        (await follow.NextAsync()).GetInteger("n").ShouldBe(3);
    }

    [Fact(Timeout = 20_000)]
    public async Task Follow_still_reads_an_event_stamped_before_midnight_and_written_after()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Numbered("2025-06-01T23:59:59Z", 1), Numbered("2025-06-02T00:00:00.001Z", 2));
        await using var follow = Following.Start(directory.Path, new FakeTimeProvider());
        await follow.ShouldHaveNothingAsync();

        Write(directory.Path, Numbered("2025-06-01T23:59:59.999Z", 3));

        (await follow.NextAsync()).GetInteger("n").ShouldBe(3);
    }

    [Fact(Timeout = 20_000)]
    public async Task Follow_waits_for_the_first_file_of_a_directory_that_does_not_exist_yet()
    {
        using var directory = new TempDirectory();
        var events = Path.Combine(directory.Path, "events");
        await using var follow = Following.Start(events, new FakeTimeProvider(), backlog: 5);
        await follow.ShouldHaveNothingAsync();

        Write(events, Numbered("2025-06-01T08:00:00Z", 1), Numbered("2025-06-01T08:00:01Z", 2));

        (await follow.NextAsync(2)).Numbers().ShouldBe([1L, 2L]);
    }

    [Fact(Timeout = 20_000)]
    public async Task Follow_yields_only_what_its_filter_matches()
    {
        using var directory = new TempDirectory();
        await using var follow = Following.Start(directory.Path, new FakeTimeProvider(), new EventFilter { Kinds = ["component_"], Components = ["manager"] });
        await follow.ShouldHaveNothingAsync();

        Write(
            directory.Path,
            Numbered("2025-06-01T08:00:00Z", 1, "component_started", "postgres"),
            Numbered("2025-06-01T08:00:01Z", 2, "probe_failed", "manager"),
            Numbered("2025-06-01T08:00:02Z", 3, "component_exited", "manager"));

        (await follow.NextAsync()).GetInteger("n").ShouldBe(3);
        await follow.ShouldHaveNothingAsync();
    }

    [Fact(Timeout = 20_000)]
    public async Task Cancelling_ends_a_follow()
    {
        using var directory = new TempDirectory();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var events = new EventReader(directory.Path, new FakeTimeProvider()).FollowAsync(cancellationToken: cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = events.MoveNextAsync().AsTask();

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () => await next);
    }
}
