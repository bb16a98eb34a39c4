using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

/// <summary>The event log on a disk that really fills up (a small tmpfs): no torn line, the loss said, the writing back when there is room.</summary>
public sealed class FullDiskSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_disk_that_fills_up_midway_through_a_line_leaves_every_line_whole()
    {
        using var disk = await TinyFilesystem.MountAsync(kibibytes: 64);
        var directory = Path.Combine(disk.Path, "events");
        var time = new FakeTimeProvider(At("2026-11-28T08:00:00Z"));
        using var log = new EventLog(directory, time);

        // 1,500-byte lines do not divide a 4 KiB page: the line that meets the end of the disk is cut by the kernel.
        var detail = new string('x', 1500);
        var appended = 0;
        while (log.Append(EventKinds.ProbeFailed, "api", new EventField("n", appended), new EventField("detail", detail)))
        {
            appended++;
            appended.ShouldBeLessThan(1000, "a 64 KiB disk must fill up");
        }

        log.Trouble.ShouldNotBeNull().Reason.ShouldContain("No space left on device");
        log.Trouble!.Lost.ShouldBe(1);
        var bytes = await File.ReadAllBytesAsync(DayFile(directory, "2026-11-28"), TestContext.Current.CancellationToken);
        bytes.ShouldNotBeEmpty();
        bytes[^1].ShouldBe((byte)'\n', "the cut line is taken back");
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(appended);
        lines.ShouldAllBe(l => EventJson.Parse(l) != null);
    }

    [Fact(Timeout = 60_000)]
    public async Task Events_lost_on_a_full_disk_are_reported_and_the_trouble_ends_when_there_is_room_again()
    {
        using var disk = await TinyFilesystem.MountAsync(kibibytes: 64);
        var directory = Path.Combine(disk.Path, "events");
        var time = new FakeTimeProvider(At("2026-11-28T08:00:00Z"));
        using var log = new EventLog(directory, time);
        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 0)).ShouldBeTrue();
        var filler = disk.Fill();

        time.Advance(TimeSpan.FromSeconds(1));
        var detail = new string('y', 5000);
        log.Append(EventKinds.ProbeFailed, "api", new EventField("n", 1), new EventField("detail", detail)).ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));
        log.Append(EventKinds.ProbeFailed, "api", new EventField("n", 2), new EventField("detail", detail)).ShouldBeFalse();
        log.Trouble.ShouldNotBeNull().Reason.ShouldBe(log.LastFailure);
        log.Trouble!.Reason.ShouldContain("No space left on device");

        File.Delete(filler);
        log.Append(EventKinds.ProbePassed, "api", new EventField("n", 3)).ShouldBeTrue();

        log.Trouble.ShouldBeNull();
        log.Lost.ShouldBe(2);

        // The page the first line left free may take one events_lost report between the two failures.
        var events = new EventReader(directory).Read().ToList();
        events.Where(e => e.Kind != "events_lost").Select(e => e.GetInteger("n")).ShouldBe([0L, 3L]);
        events.Where(e => e.Kind == "events_lost").Sum(e => e.GetInteger("lost")).ShouldBe(2);
        events.Where(e => e.Kind == "events_lost").ShouldAllBe(e => e.GetText("error")!.Contains("No space left on device"));
    }
}
