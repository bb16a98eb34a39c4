using Microsoft.Extensions.Time.Testing;
using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

public sealed class EventLogSpecs
{
    [Fact]
    public void Events_go_to_the_file_of_their_UTC_date_and_roll_over_at_midnight()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(At("2025-06-01T23:59:59.500Z"));
        using var log = new EventLog(directory.Path, time);

        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 1)).ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(1));
        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 2)).ShouldBeTrue();
        log.Append(Numbered("2025-06-02T01:00:00+02:00", 3)).ShouldBeTrue();

        EventFiles.List(directory.Path).Select(f => Path.GetFileName(f.Path)).ShouldBe(["events-2025-06-01.jsonl", "events-2025-06-02.jsonl"]);
        File.ReadAllLines(DayFile(directory.Path, "2025-06-01")).Select(l => EventJson.Parse(l)!.GetInteger("n")).ShouldBe([1L, 3L]);
        File.ReadAllLines(DayFile(directory.Path, "2025-06-02")).Select(l => EventJson.Parse(l)!.GetInteger("n")).ShouldBe([2L]);
        log.Written.ShouldBe(3);
    }

    [Fact]
    public void An_event_is_stamped_by_the_clock_it_is_given()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(At("2025-06-01T08:00:00.25Z"));
        using var log = new EventLog(directory.Path, time);

        log.Append(EventKinds.ComponentStarted, "api", new EventField("run", 1), new EventField("pid", 10), new EventField("pgid", 10));

        new EventReader(directory.Path).Read().Single().Timestamp.ShouldBe(At("2025-06-01T08:00:00.25Z"));
    }

    [Fact]
    public void The_directory_is_created_private_and_the_files_are_private()
    {
        using var directory = new TempDirectory();
        var events = Path.Combine(directory.Path, "state", "events");

        Write(events, Numbered("2025-06-01T08:00:00Z", 1));

        File.GetUnixFileMode(events).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.GetUnixFileMode(DayFile(events, "2025-06-01")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void A_directory_removed_under_a_running_log_is_created_again()
    {
        using var directory = new TempDirectory();
        var events = Path.Combine(directory.Path, "events");
        using var log = new EventLog(events);
        log.Append(Numbered("2025-06-01T08:00:00Z", 1)).ShouldBeTrue();

        Directory.Delete(events, recursive: true);
        var written = log.Append(Numbered("2025-06-01T08:00:01Z", 2));

        written.ShouldBeTrue(log.LastFailure);
        new EventReader(events).Read().Numbers().ShouldBe([2L]);
    }

    [Fact]
    public void Two_logs_on_one_file_append_and_never_overwrite_each_other()
    {
        // Regression: FileStream with FileMode.Append writes at its own remembered offset, so a
        // second writer's lines were overwritten. The log opens its file with O_APPEND.
        using var directory = new TempDirectory();
        using var first = new EventLog(directory.Path);
        using var second = new EventLog(directory.Path);

        for (var n = 0; n < 100; n++)
        {
            (n % 2 == 0 ? first : second).Append(Numbered("2025-06-01T08:00:00Z", n)).ShouldBeTrue();
        }

        var reader = new EventReader(directory.Path);
        reader.Read().Numbers().ShouldBe(Enumerable.Range(0, 100).Select(n => (long)n));
        reader.MalformedLines.ShouldBe(0);
    }

    [Fact]
    public void A_full_disk_loses_events_without_throwing_and_the_loss_is_reported_once_the_disk_has_room()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        File.CreateSymbolicLink(file, "/dev/full");
        using var log = new EventLog(directory.Path);

        log.Append(Numbered("2025-06-01T08:00:00Z", 1)).ShouldBeFalse();
        log.Append(Numbered("2025-06-01T08:00:01Z", 2)).ShouldBeFalse();

        log.Lost.ShouldBe(2);
        log.Written.ShouldBe(0);
        log.LastFailure.ShouldBe($"write {file}: No space left on device");

        File.Delete(file);
        log.Append(Numbered("2025-06-01T08:00:05Z", 3)).ShouldBeTrue();

        var events = new EventReader(directory.Path).Read().ToList();
        events.Select(e => e.Kind).ShouldBe(["events_lost", "probe_passed"]);
        EventKinds.EventsLost.Check(events[0]).ShouldBeEmpty();
        events[0].GetInteger("lost").ShouldBe(2);
        events[0].GetText("since").ShouldBe("2025-06-01T08:00:00.0000000Z");
        events[0].GetText("error").ShouldBe($"write {file}: No space left on device");
        log.Lost.ShouldBe(2);
    }

    [Fact]
    public void A_fragment_left_by_a_killed_writer_is_ended_before_the_next_line()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        var whole = EventJson.ToLineString(Numbered("2025-06-01T08:00:00Z", 1));
        directory.Write(Path.GetFileName(file), whole + whole[..40]);

        Write(directory.Path, Numbered("2025-06-01T08:00:02Z", 2), Numbered("2025-06-01T08:00:03Z", 3));

        File.ReadAllLines(file).Length.ShouldBe(4);
        var reader = new EventReader(directory.Path);
        reader.Read().Numbers().ShouldBe([1L, 2L, 3L]);
        reader.MalformedLines.ShouldBe(1);
    }

    [Fact]
    public void A_closed_log_counts_what_it_is_given_as_lost()
    {
        using var directory = new TempDirectory();
        var log = new EventLog(directory.Path);
        log.Dispose();

        log.Append(Numbered("2025-06-01T08:00:00Z", 1)).ShouldBeFalse();

        log.Lost.ShouldBe(1);
        log.LastFailure.ShouldBe("the event log is closed");
    }

    [Fact]
    public void Sync_flushes_the_current_file_to_disk()
    {
        using var directory = new TempDirectory();
        using var log = new EventLog(directory.Path);

        log.Sync().ShouldBeTrue();
        log.Append(Numbered("2025-06-01T08:00:00Z", 1));
        log.Sync().ShouldBeTrue();
    }
}
