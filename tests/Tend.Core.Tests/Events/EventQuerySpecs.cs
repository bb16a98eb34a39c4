using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

/// <summary>
/// Queries of a long history read from the end: the last events cost the blocks they are in, and a
/// component's events the blocks that name it (the index kept beside each daily file), whatever
/// came before. Every answer is the one a full read gives.
/// </summary>
public sealed class EventQuerySpecs : IDisposable
{
    private const int Busy = 20;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>A day of <paramref name="count"/> events of busy components; `rare` at the given places; each numbered.</summary>
    private void WriteDay(string day, int count, params int[] rareAt)
    {
        var random = new Random(day.GetHashCode(StringComparison.Ordinal));
        var start = At($"{day}T00:00:00Z");
        var records = Enumerable.Range(0, count).Select(i => new EventRecord(
            start.AddMilliseconds(i * 10),
            i % 3 == 0 ? "component_started" : "component_exited",
            rareAt.Contains(i) ? "rare" : $"busy{random.Next(Busy):00}",
            [new EventField("n", i), new EventField("log_tail", "processing batch; error: upstream timed out")])).ToArray();
        Write(_directory.Path, records);
    }

    private string FileOf(string day) => Path.Combine(_directory.Path, $"events-{day}.jsonl");

    [Fact]
    public void The_last_events_of_a_big_file_cost_a_block_or_two_not_the_file()
    {
        WriteDay("2025-06-01", 50_000);
        var reader = new EventReader(_directory.Path);

        var last = reader.Last(100);

        last.Numbers().ShouldBe(Enumerable.Range(49_900, 100).Select(i => (long)i));
        new FileInfo(FileOf("2025-06-01")).Length.ShouldBeGreaterThan(5_000_000);
        reader.BytesRead.ShouldBeLessThan(256 * 1024, "the reader went further back than the last hundred lines");
    }

    [Fact]
    public void The_last_events_cross_into_the_days_before_when_today_has_too_few()
    {
        WriteDay("2025-06-01", 300);
        WriteDay("2025-06-02", 50);

        var last = new EventReader(_directory.Path).Last(100);

        last.Select(e => e.Timestamp.Day).ShouldBe([.. Enumerable.Repeat(1, 50), .. Enumerable.Repeat(2, 50)]);
        last.Numbers().ShouldBe([.. Enumerable.Range(250, 50).Select(i => (long)i), .. Enumerable.Range(0, 50).Select(i => (long)i)]);
    }

    [Fact]
    public void A_torn_last_line_is_not_an_event_and_the_ones_before_it_are()
    {
        WriteDay("2025-06-01", 10);
        File.AppendAllText(FileOf("2025-06-01"), "{\"ts\":\"2025-06-01T00:00:09.5Z\",\"event\":\"compo");

        new EventReader(_directory.Path).Last(3).Numbers().ShouldBe([7L, 8L, 9L]);
    }

    [Fact]
    public void A_rare_components_events_are_found_through_the_index_without_reading_the_history_again()
    {
        WriteDay("2025-06-01", 40_000, 5, 6);
        WriteDay("2025-06-02", 60_000, 17);
        var filter = new EventFilter { Components = ["rare"] };

        var first = new EventReader(_directory.Path);
        first.Last(100, filter).Numbers().ShouldBe([5L, 6L, 17L]);
        File.Exists(FileOf("2025-06-02") + ".idx").ShouldBeTrue("the index is kept beside the file");

        var again = new EventReader(_directory.Path);
        again.Last(100, filter).Numbers().ShouldBe([5L, 6L, 17L]);
        var history = new FileInfo(FileOf("2025-06-01")).Length + new FileInfo(FileOf("2025-06-02")).Length;
        again.BytesRead.ShouldBeLessThan(history / 10, $"read {again.BytesRead} of {history} bytes");
    }

    [Fact]
    public void Brought_up_to_date_in_a_quiet_moment_the_first_query_of_the_day_indexes_nothing()
    {
        WriteDay("2025-06-01", 60_000, 30);
        var length = new FileInfo(FileOf("2025-06-01")).Length;

        EventIndexUpkeep.Refresh(_directory.Path).ShouldBe(length);
        EventIndexUpkeep.Refresh(_directory.Path).ShouldBe(0, "nothing new since");

        var reader = new EventReader(_directory.Path);
        reader.Last(10, new EventFilter { Components = ["rare"] }).Numbers().ShouldBe([30L]);
        reader.BytesRead.ShouldBeLessThan(length / 10);
    }

    [Fact]
    public void Every_filtered_answer_is_the_one_a_full_read_gives_also_after_the_file_grew()
    {
        WriteDay("2025-06-01", 30_000, 100, 29_000);
        var random = new Random(7);
        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var filter in new[]
            {
                new EventFilter { Components = ["rare"] },
                new EventFilter { Components = [$"busy{random.Next(Busy):00}"] },
                new EventFilter { Kinds = ["component_started"] },
                new EventFilter { Components = ["rare", $"busy{random.Next(Busy):00}"], Kinds = ["component_"] },
            })
            {
                var count = random.Next(1, 3000);
                var expected = new EventReader(_directory.Path).Read(filter).TakeLast(count).Numbers();
                new EventReader(_directory.Path).Last(count, filter).Numbers().ShouldBe(expected, $"round {round}: {string.Join(",", filter.Components)} {string.Join(",", filter.Kinds)} last {count}");
            }

            // The file grows past the index: the new part is read, and indexed in turn.
            Write(_directory.Path, [.. Enumerable.Range(0, 20_000).Select(i => new EventRecord(At("2025-06-01T12:00:00Z").AddMilliseconds(i), "component_exited", i == 19_000 ? "rare" : "busy01", [new EventField("n", 100_000 + i)]))]);
        }
    }

    [Fact]
    public void A_component_with_a_very_long_name_keeps_every_block_it_is_in()
    {
        var name = new string('n', 300);
        Write(_directory.Path, [.. Enumerable.Range(0, 12_000).Select(i => new EventRecord(At("2025-06-01T00:00:00Z").AddMilliseconds(i), "component_exited", i % 1000 == 0 ? name : "busy01", [new EventField("n", i), new EventField("log_tail", "processing batch; error: upstream timed out")]))]);

        new EventReader(_directory.Path).Last(100, new EventFilter { Components = [name] }).Numbers()
            .ShouldBe(Enumerable.Range(0, 12).Select(i => i * 1000L));
    }

    [Fact]
    public void A_damaged_or_foreign_index_is_not_trusted()
    {
        WriteDay("2025-06-01", 20_000, 10);
        var filter = new EventFilter { Components = ["rare"] };
        new EventReader(_directory.Path).Last(5, filter).Numbers().ShouldBe([10L]);
        var index = FileOf("2025-06-01") + ".idx";

        // Cut short, then one of another file that happens to be there.
        File.WriteAllBytes(index, File.ReadAllBytes(index)[..40]);
        new EventReader(_directory.Path).Last(5, filter).Numbers().ShouldBe([10L]);
        WriteDay("2025-06-01", 10);
        File.WriteAllBytes(index, []);
        new EventReader(_directory.Path).Last(5, filter).Numbers().ShouldBe([10L]);
    }

    [Fact]
    public void A_file_rewritten_under_its_index_is_read_anew()
    {
        WriteDay("2025-06-01", 20_000, 10);
        var filter = new EventFilter { Components = ["rare"] };
        new EventReader(_directory.Path).Last(5, filter).Numbers().ShouldBe([10L]);

        // Same name, other events (restored from a backup, edited by hand): the index no longer describes it.
        File.Delete(FileOf("2025-06-01"));
        WriteDay("2025-06-01", 20_000, 30, 19_990);

        new EventReader(_directory.Path).Last(5, filter).Numbers().ShouldBe([30L, 19_990L]);
    }

    [Fact]
    public void Retention_takes_the_index_with_its_file()
    {
        WriteDay("2025-06-01", 5_000, 10);
        WriteDay("2025-06-02", 5_000);
        new EventReader(_directory.Path).Last(5, new EventFilter { Components = ["rare"] });
        File.Exists(FileOf("2025-06-01") + ".idx").ShouldBeTrue();

        new EventRetention(MaxBytes: long.MaxValue, KeepDays: 1).Apply(_directory.Path, new DateOnly(2025, 6, 2), FileOf("2025-06-02")).ShouldBeNull();

        File.Exists(FileOf("2025-06-01")).ShouldBeFalse();
        File.Exists(FileOf("2025-06-01") + ".idx").ShouldBeFalse();
        File.Exists(FileOf("2025-06-02")).ShouldBeTrue();
    }
}
