using Tend.Core.Events;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Events;

/// <summary>
/// Events with their places in the files: the ids of the HTTP API, by which a reader that comes
/// back (a browser's Last-Event-ID) gets exactly what it missed.
/// </summary>
public sealed class EventPositionSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void Say(EventHub hub, int n) => hub.Emit(EventKinds.SupervisorError, n % 2 == 0 ? "api" : "db", new EventField("error", $"event {n}"));

    private static string Text(PositionedEvent e) => e.Record.GetText("error")!;

    [Theory]
    [InlineData("20261129-0", true)]
    [InlineData("20261129-48213", true)]
    [InlineData("2026112-48213", false)]
    [InlineData("20261329-1", false)]
    [InlineData("20261129--1", false)]
    [InlineData("20261129-", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void An_id_reads_back_as_the_position_it_was_made_of(string? id, bool valid)
    {
        EventPosition.TryParseId(id, out var position).ShouldBe(valid);
        if (valid)
        {
            position!.ToId().ShouldBe(id);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_subscriber_gets_each_event_with_the_place_just_past_its_line()
    {
        using var hub = new EventHub(new EventLog(_directory.Path));
        using var subscription = hub.Subscribe(EventFilter.All);
        for (var i = 0; i < 5; i++)
        {
            Say(hub, i);
        }

        var live = await subscription.ReadPositionedAsync(TestContext.Current.CancellationToken).Take(5).ToListAsync(TestContext.Current.CancellationToken);
        var file = EventFiles.List(_directory.Path).Single();
        var lines = File.ReadAllLines(file.Path);
        var end = 0L;
        for (var i = 0; i < 5; i++)
        {
            end += System.Text.Encoding.UTF8.GetByteCount(lines[i]) + 1;
            live[i].Position.ShouldBe(new EventPosition(file.Day, end));
        }

        new EventReader(_directory.Path).LastPositioned(5).ShouldBe(live, "the files' reading gives the same places");
    }

    [Fact]
    public void Reading_after_an_id_gives_every_later_event_once_in_order_and_stops_where_asked()
    {
        using var hub = new EventHub(new EventLog(_directory.Path));
        for (var i = 0; i < 20; i++)
        {
            Say(hub, i);
        }

        var reader = new EventReader(_directory.Path);
        var all = reader.LastPositioned(100);
        all.Count.ShouldBe(20);

        reader.After(all[6].Position!).Select(Text).ShouldBe(Enumerable.Range(7, 13).Select(i => $"event {i}"));
        reader.After(all[6].Position!, upTo: all[9].Position).Select(Text).ShouldBe(["event 7", "event 8", "event 9"]);
        reader.After(all[6].Position!, max: 2).Select(Text).ShouldBe(["event 7", "event 8"]);
        reader.After(all[6].Position!, new EventFilter { Components = ["db"] }).Select(Text).ShouldBe(Enumerable.Range(7, 13).Where(i => i % 2 == 1).Select(i => $"event {i}"));
        reader.After(all[^1].Position!).ShouldBeEmpty();
        reader.After(all[9].Position!, upTo: all[6].Position).ShouldBeEmpty("nothing lies between a later place and an earlier one");
        reader.After(all[6].Position!).Select(e => e.Position).ShouldBe(all.Skip(7).Select(e => e.Position));
    }

    [Fact]
    public void Reading_after_an_id_of_an_earlier_day_crosses_into_the_later_days_files()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 23, 59, 58, TimeSpan.Zero));
        using (var hub = new EventHub(new EventLog(_directory.Path, time), time))
        {
            Say(hub, 0);
            Say(hub, 1);
            time.Advance(TimeSpan.FromSeconds(5));
            Say(hub, 2);
            Say(hub, 3);
        }

        var reader = new EventReader(_directory.Path);
        var all = reader.LastPositioned(10);
        all.Select(e => e.Position!.Day.Day).ShouldBe([28, 28, 29, 29]);
        reader.After(all[0].Position!).Select(Text).ShouldBe(["event 1", "event 2", "event 3"]);
        reader.After(new EventPosition(new DateOnly(2026, 11, 1), 0)).Select(Text).ShouldBe(["event 0", "event 1", "event 2", "event 3"], "a day retention deleted is passed over");
    }
}
