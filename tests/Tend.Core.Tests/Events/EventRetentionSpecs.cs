using Microsoft.Extensions.Time.Testing;
using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

/// <summary>
/// Issue 8: events grew without bound (a crash-looping service wrote 6 MB a minute, one exit
/// event held 700 KB of output). The files are kept within a size and a number of days, as the
/// logs are, and no field of an event is more than a few kilobytes.
/// </summary>
public sealed class EventRetentionSpecs
{
    private static long TotalBytes(string directory) => EventFiles.List(directory).Sum(f => new FileInfo(f.Path).Length);

    private static string Padding(int chars) => new('x', chars);

    [Fact]
    public void Days_of_events_are_kept_within_max_size_the_oldest_going_first()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(At("2025-06-01T12:00:00Z"));
        var retention = new EventRetention(MaxBytes: 200_000, KeepDays: 365);
        using var log = new EventLog(directory.Path, time, retention);

        // Ten days of about 60 kB each: 600 kB written, three times the limit.
        for (var day = 0; day < 10; day++)
        {
            for (var i = 0; i < 20; i++)
            {
                log.Append(EventKinds.DaemonError, null, new EventField("task", "spec"), new EventField("error", Padding(3000))).ShouldBeTrue();
            }

            time.Advance(TimeSpan.FromDays(1));
        }

        TotalBytes(directory.Path).ShouldBeLessThanOrEqualTo(retention.MaxBytes);
        var days = EventFiles.List(directory.Path).Select(f => f.Day).ToList();
        days[^1].ShouldBe(DateOnly.Parse("2025-06-10", System.Globalization.CultureInfo.InvariantCulture));
        days.ShouldBe([.. days.OrderBy(d => d)]);
        days.Count.ShouldBeLessThan(10);
        log.RetentionError.ShouldBeNull();
    }

    [Fact]
    public void Days_older_than_keep_days_are_deleted()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(At("2025-06-01T12:00:00Z"));
        using var log = new EventLog(directory.Path, time, new EventRetention(MaxBytes: 100_000_000, KeepDays: 3));

        for (var day = 0; day < 6; day++)
        {
            log.Append(EventKinds.ProbePassed, "api", new EventField("n", day)).ShouldBeTrue();
            time.Advance(TimeSpan.FromDays(1));
        }

        EventFiles.List(directory.Path).Select(f => Path.GetFileName(f.Path))
            .ShouldBe(["events-2025-06-04.jsonl", "events-2025-06-05.jsonl", "events-2025-06-06.jsonl"]);
    }

    [Fact]
    public void A_day_past_max_size_on_its_own_stops_growing_and_every_event_lost_is_told()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(At("2025-06-01T12:00:00Z"));
        var retention = new EventRetention(MaxBytes: 100_000, KeepDays: 30);
        using var log = new EventLog(directory.Path, time, retention);

        var refused = 0;
        for (var i = 0; i < 100; i++)
        {
            refused += log.Append(EventKinds.DaemonError, null, new EventField("task", "spec"), new EventField("error", Padding(3000))) ? 0 : 1;
        }

        new FileInfo(DayFile(directory.Path, "2025-06-01")).Length.ShouldBeLessThanOrEqualTo(retention.MaxBytes);
        refused.ShouldBeGreaterThan(0);
        log.LastFailure.ShouldNotBeNull().ShouldContain("max_size");

        time.Advance(TimeSpan.FromDays(1));
        log.Append(EventKinds.ProbePassed, "api").ShouldBeTrue();
        new EventReader(directory.Path).Read().Where(e => e.Kind == "events_lost").Sum(e => e.GetInteger("lost")).ShouldBe(refused);
        new FileInfo(DayFile(directory.Path, "2025-06-01")).Length.ShouldBeLessThanOrEqualTo(retention.MaxBytes);
    }

    [Fact]
    public void A_huge_field_is_cut_to_a_few_kilobytes_and_says_how_much_was_cut()
    {
        using var directory = new TempDirectory();
        using var log = new EventLog(directory.Path, new FakeTimeProvider(At("2025-06-01T12:00:00Z")));
        var line = Padding(700_000);

        log.Append(EventKinds.ComponentExited, "api", new EventField("run", 1), new EventField("last_exit", line), EventFields.List("log_tail", [.. Enumerable.Repeat(line, 20)])).ShouldBeTrue();

        new FileInfo(DayFile(directory.Path, "2025-06-01")).Length.ShouldBeLessThan(30_000);
        var written = new EventReader(directory.Path).Read().Single();
        written.GetText("last_exit")!.ShouldEndWith($"… [{700_000 - EventFieldLimits.MaxTextChars} more characters]");
        written.GetList("log_tail")!.Count.ShouldBe(20);
        written.GetList("log_tail")!.ShouldAllBe(item => item.Length < EventFieldLimits.MaxItemChars + 40);
    }

    [Fact]
    public void A_list_longer_than_the_limit_keeps_its_first_items_and_says_how_many_more_there_were()
    {
        var record = EventKinds.ComponentStarting.Create(At("2025-06-01T12:00:00Z"), "api", EventFields.List("argv", [.. Enumerable.Range(0, 1000).Select(i => $"arg{i}")]));

        var argv = record.GetList("argv")!;
        argv.Count.ShouldBe(EventFieldLimits.MaxItems);
        argv[0].ShouldBe("arg0");
        argv[^1].ShouldBe($"… [{1000 - EventFieldLimits.MaxItems + 1} more items]");
    }
}
