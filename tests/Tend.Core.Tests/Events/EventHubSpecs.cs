using Tend.Core.Events;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Events;

/// <summary>The hub behind a daemon's events: the file first, then subscribers that can never hold the emitter up.</summary>
public sealed class EventHubSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private EventHub Hub() => new(new EventLog(_directory.Path));

    private static void Say(EventHub hub, int n) => hub.Emit(EventKinds.SupervisorError, "api", new EventField("error", $"event {n}"));

    private static string Text(EventRecord e) => e.GetText("error") ?? e.Kind;

    [Fact(Timeout = 30_000)]
    public async Task A_subscriber_sees_what_the_file_holds_in_the_same_order()
    {
        using var hub = Hub();
        using var subscription = hub.Subscribe(EventFilter.All);

        for (var i = 0; i < 100; i++)
        {
            Say(hub, i);
        }

        var seen = await subscription.ReadAllAsync(TestContext.Current.CancellationToken).Take(100).Select(Text).ToListAsync(TestContext.Current.CancellationToken);
        var written = new EventReader(_directory.Path).Read().Select(Text).ToList();
        seen.ShouldBe(written);
        seen[0].ShouldBe("event 0");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_subscriber_that_reads_too_slowly_loses_events_counted_and_marked_and_never_holds_the_emitter()
    {
        using var hub = Hub();
        using var subscription = hub.Subscribe(EventFilter.All, capacity: 10);

        var emitting = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            Say(hub, i);
        }

        emitting.Stop();
        var reader = subscription.ReadAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var first = new List<EventRecord>();
        for (var i = 0; i < 10 && await reader.MoveNextAsync(); i++)
        {
            first.Add(reader.Current);
        }

        Say(hub, 1000);
        await reader.MoveNextAsync();
        var lost = reader.Current;
        await reader.MoveNextAsync();
        var next = reader.Current;
        await reader.DisposeAsync();

        subscription.Lost.ShouldBe(990);
        first.Select(Text).ShouldBe(Enumerable.Range(0, 10).Select(i => $"event {i}"));
        lost.Kind.ShouldBe("events_lost");
        lost.GetInteger("lost").ShouldBe(990);
        Text(next).ShouldBe("event 1000");
        new EventReader(_directory.Path).Read().Count().ShouldBe(1001, "the file keeps everything");
        emitting.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "a full queue drops, it does not wait");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_history_up_to_a_subscription_and_the_subscription_give_each_event_once()
    {
        using var hub = Hub();
        for (var i = 0; i < 50; i++)
        {
            Say(hub, i);
        }

        using var subscription = hub.Subscribe(EventFilter.All);
        for (var i = 50; i < 60; i++)
        {
            Say(hub, i);
        }

        var history = new EventReader(_directory.Path).Last(1000, EventFilter.All, subscription.HistoryEnd).Select(Text).ToList();
        var live = await subscription.ReadAllAsync(TestContext.Current.CancellationToken).Take(10).Select(Text).ToListAsync(TestContext.Current.CancellationToken);

        history.Concat(live).ShouldBe(Enumerable.Range(0, 60).Select(i => $"event {i}"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_subscription_sees_only_what_its_filter_matches()
    {
        using var hub = Hub();
        using var subscription = hub.Subscribe(new EventFilter { Components = ["web"] });

        Say(hub, 1);
        hub.Emit(EventKinds.SupervisorError, "web", new EventField("error", "for web"));

        var first = await subscription.ReadAllAsync(TestContext.Current.CancellationToken).FirstAsync(TestContext.Current.CancellationToken);
        Text(first).ShouldBe("for web");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_ended_subscription_ends_its_reader_and_hears_no_more()
    {
        using var hub = Hub();
        var subscription = hub.Subscribe(EventFilter.All);
        var reading = subscription.ReadAllAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        subscription.Dispose();
        Say(hub, 1);

        (await reading).ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_known_secret_is_masked_in_every_text_field_before_the_file_and_subscribers_see_it()
    {
        using var hub = Hub();
        hub.Secrets = SecretValues.Of(["s3cr3tPl4nted"]);
        using var subscription = hub.Subscribe(EventFilter.All);

        hub.Emit(EventKinds.ComponentStarting, "api", new("run", 1), EventFields.List("argv", ["api", "--key", "s3cr3tPl4nted"]), new("cwd", "/srv"), new("attempt", 0));
        hub.Emit(EventKinds.SupervisorError, "api", new EventField("error", "upstream said no to s3cr3tPl4nted"));

        var seen = await subscription.ReadAllAsync(TestContext.Current.CancellationToken).Take(2).ToListAsync(TestContext.Current.CancellationToken);
        var written = new EventReader(_directory.Path).Read().ToList();
        foreach (var events in new[] { seen, written })
        {
            events[0].GetList("argv").ShouldBe(["api", "--key", "***"]);
            events[1].GetText("error").ShouldBe("upstream said no to ***");
        }

        File.ReadAllText(Directory.GetFiles(_directory.Path).Single()).ShouldNotContain("s3cr3tPl4nted");
    }
}
