using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

public sealed class EventReaderSpecs
{
    private static readonly EventRecord[] Day =
    [
        Event("2025-06-01T08:00:00Z", "daemon_started", null, new EventField("n", 1)),
        Event("2025-06-01T08:00:01Z", "component_starting", "postgres", new EventField("n", 2)),
        Event("2025-06-01T08:00:02Z", "component_started", "postgres", new EventField("n", 3)),
        Event("2025-06-01T08:00:03Z", "probe_failed", "postgres", new EventField("n", 4)),
        Event("2025-06-01T08:00:04Z", "probe_passed", "postgres", new EventField("n", 5)),
        Event("2025-06-01T08:00:05Z", "component_starting", "manager", new EventField("n", 6)),
        Event("2025-06-02T09:00:00Z", "component_exited", "manager", new EventField("n", 7)),
        Event("2025-06-02T09:00:01Z", "restart_scheduled", "manager", new EventField("n", 8)),
        Event("2025-06-03T10:00:00Z", "component_starting", "manager", new EventField("n", 9)),
    ];

    [Fact]
    public void Events_of_all_days_are_read_oldest_file_first_in_the_order_written()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Day[6..]);
        Write(directory.Path, Day[..6]);

        new EventReader(directory.Path).Read().ShouldBe(Day);
    }

    [Fact]
    public void A_directory_that_does_not_exist_has_no_events() =>
        new EventReader("/nonexistent/tend/events").Read().ShouldBeEmpty();

    [Theory]
    [InlineData("component_starting", new long[] { 2, 6, 9 })]
    [InlineData("component_", new long[] { 2, 3, 6, 7, 9 })]
    [InlineData("probe_*", new long[] { 4, 5 })]
    [InlineData("component", new long[] { })]
    public void Kinds_are_matched_by_name_or_by_prefix(string pattern, long[] expected)
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Day);

        new EventReader(directory.Path).Read(new EventFilter { Kinds = [pattern] }).Numbers().ShouldBe(expected);
    }

    [Fact]
    public void Several_kinds_components_and_a_time_range_combine()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Day);
        var reader = new EventReader(directory.Path);

        reader.Read(new EventFilter { Kinds = ["daemon_started", "restart_scheduled"] }).Numbers().ShouldBe([1L, 8L]);
        reader.Read(new EventFilter { Components = ["manager"] }).Numbers().ShouldBe([6L, 7L, 8L, 9L]);
        reader.Read(new EventFilter { Components = ["postgres"], Kinds = ["probe_"] }).Numbers().ShouldBe([4L, 5L]);
        reader.Read(new EventFilter { Since = At("2025-06-01T08:00:04Z"), Until = At("2025-06-02T09:00:01Z") }).Numbers().ShouldBe([5L, 6L, 7L]);
        reader.Read(new EventFilter { Since = At("2025-06-02T00:00:00Z") }).Numbers().ShouldBe([7L, 8L, 9L]);
    }

    [Fact]
    public void Files_of_days_outside_the_time_range_are_not_read()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Day);
        File.AppendAllText(DayFile(directory.Path, "2025-06-01"), "not an event\n");
        var reader = new EventReader(directory.Path);

        reader.Read(new EventFilter { Since = At("2025-06-02T00:00:00Z") }).Count().ShouldBe(3);

        reader.MalformedLines.ShouldBe(0);
    }

    [Fact]
    public void The_last_events_come_from_the_newest_files_oldest_first()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Day);
        var reader = new EventReader(directory.Path);

        reader.Last(4).Numbers().ShouldBe([6L, 7L, 8L, 9L]);
        reader.Last(1).Numbers().ShouldBe([9L]);
        reader.Last(3, new EventFilter { Components = ["postgres"] }).Numbers().ShouldBe([3L, 4L, 5L]);
        reader.Last(100).Count.ShouldBe(Day.Length);
        reader.Last(0).ShouldBeEmpty();
    }

    [Fact]
    public void Lines_that_are_not_events_are_skipped_and_counted()
    {
        using var directory = new TempDirectory();
        var one = EventJson.ToLineString(Numbered("2025-06-01T08:00:00Z", 1));
        var two = EventJson.ToLineString(Numbered("2025-06-01T08:00:01Z", 2));
        var three = EventJson.ToLineString(Numbered("2025-06-01T08:00:02Z", 3));
        directory.Write(
            "events/" + EventFiles.FileName(new DateOnly(2025, 6, 1)),
            one + "garbage\n" + "\n   \n" + "{\"ts\":\"2025-06-01T08:00:00Z\",\"event\":\n" + "\0\0\0\0\0\0\n" + two + "[1,2]\n" + three);
        var reader = new EventReader(Path.Combine(directory.Path, "events"));

        var numbers = reader.Read().Numbers();

        numbers.ShouldBe([1L, 2L, 3L]);
        reader.MalformedLines.ShouldBe(4);
    }

    [Fact]
    public void A_whole_event_glued_to_a_killed_writers_fragment_is_still_read()
    {
        using var directory = new TempDirectory();
        var fragment = EventJson.ToLineString(Numbered("2025-06-01T08:00:00Z", 1))[..30];
        directory.Write(EventFiles.FileName(new DateOnly(2025, 6, 1)), fragment + EventJson.ToLineString(Numbered("2025-06-01T08:00:01Z", 2)));
        var reader = new EventReader(directory.Path);

        reader.Read().Numbers().ShouldBe([2L]);

        reader.MalformedLines.ShouldBe(1);
    }

    [Fact]
    public void A_torn_last_line_is_not_read_until_its_newline_arrives()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        var three = EventJson.ToLineString(Numbered("2025-06-01T08:00:02Z", 3));
        directory.Write(Path.GetFileName(file), EventJson.ToLineString(Numbered("2025-06-01T08:00:00Z", 1)) + EventJson.ToLineString(Numbered("2025-06-01T08:00:01Z", 2)) + three[..25]);
        var reader = new EventReader(directory.Path);

        reader.Read().Numbers().ShouldBe([1L, 2L]);
        reader.Last(5).Numbers().ShouldBe([1L, 2L]);

        File.AppendAllText(file, three[25..^1]);
        reader.Read().Numbers().ShouldBe([1L, 2L]);

        File.AppendAllText(file, "\n");
        reader.Read().Numbers().ShouldBe([1L, 2L, 3L]);
        reader.MalformedLines.ShouldBe(0);
    }

    [Fact]
    public void A_line_longer_than_a_read_chunk_is_read_whole()
    {
        using var directory = new TempDirectory();
        var tail = Enumerable.Range(0, 2000).Select(i => $"log line {i} " + new string('x', 100)).ToArray();
        Write(directory.Path, Numbered("2025-06-01T08:00:00Z", 1), Event("2025-06-01T08:00:01Z", "component_exited", "api", new EventField("n", 2), new EventField("log_tail", tail)), Numbered("2025-06-01T08:00:02Z", 3));

        var events = new EventReader(directory.Path).Read().ToList();

        events.Numbers().ShouldBe([1L, 2L, 3L]);
        events[1].GetList("log_tail").ShouldBe(tail);
    }

    [Fact]
    public void Files_that_are_not_daily_event_files_are_ignored()
    {
        using var directory = new TempDirectory();
        Write(directory.Path, Day[0]);
        directory.Write("events-latest.jsonl", "junk\n");
        directory.Write("notes.txt", "junk\n");

        var reader = new EventReader(directory.Path);

        reader.Read().Count().ShouldBe(1);
        reader.MalformedLines.ShouldBe(0);
    }
}
