using Tend.Core.Events;
using Tend.Core.Status;

namespace Tend.Core.Tests.Status;

/// <summary>Every registered event kind is told in words, and no word is ever a blank or a placeholder.</summary>
public sealed class EventNarrationSpecs
{
    private static readonly DateTimeOffset Then = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds() => [.. EventKinds.All.Select(k => k.Name)];

    [Fact]
    public void Every_registered_kind_has_its_sentence_and_nothing_else_has_one()
    {
        EventNarration.Kinds.ShouldBe(EventKinds.All.Select(k => k.Name), ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_event_with_every_field_reads_as_a_sentence(string kind)
    {
        var spec = EventKinds.Find(kind)!;
        var record = spec.Create(Then, spec.Scope == EventScope.Component ? "api" : null, [.. spec.Fields.Select(Sample)]);

        var sentence = EventNarration.Narrate(record);

        ShouldBeClean(sentence, kind);
        sentence.ShouldNotBe(kind.Replace('_', ' '), "a kind of its own deserves more than its name");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_event_without_its_optional_fields_leaves_their_words_out(string kind)
    {
        var spec = EventKinds.Find(kind)!;
        var record = spec.Create(Then, spec.Scope == EventScope.Component ? "api" : null, [.. spec.Fields.Where(f => !f.Optional).Select(Sample)]);

        ShouldBeClean(EventNarration.Narrate(record), kind);
    }

    [Fact]
    public void A_stop_that_takes_long_names_who_is_still_alive()
    {
        var record = EventKinds.StopSlow.Create(Then, "queue", new EventField("run", 3), new EventField("alive", EventValue.List(["pid 4242 (python3 worker.py)"])));

        EventNarration.Narrate(record).ShouldBe("still alive: pid 4242 (python3 worker.py)");
    }

    [Fact]
    public void Durations_are_told_as_durations()
    {
        var record = EventKinds.RestartScheduled.Create(Then, "api", new EventField("run", 2), new EventField("attempt", 3), new EventField("delay_ms", 4000), new EventField("reason", "exit code 1"), new EventField("policy", "on-failure"));

        EventNarration.Narrate(record).ShouldBe("restart #3 in 4s (exit code 1)");
    }

    [Fact]
    public void A_kind_from_a_newer_tend_is_named_as_it_is()
    {
        EventNarration.Narrate(new EventRecord(Then, "something_new", null)).ShouldBe("something new");
    }

    private static void ShouldBeClean(string sentence, string kind)
    {
        sentence.ShouldNotBeNullOrWhiteSpace(kind);
        sentence.ShouldNotContain("{", customMessage: kind);
        sentence.ShouldNotContain("()", customMessage: kind);
        sentence.ShouldNotContain("  ", customMessage: kind);
        sentence.ShouldNotContain(" ?", customMessage: kind);
        sentence.ShouldNotEndWith(" ", customMessage: kind);
        sentence.ShouldNotContain(" ,", customMessage: kind);
        sentence.ShouldNotContain(": ,", customMessage: kind);
        sentence.ShouldNotContain("null", customMessage: kind);
    }

    private static EventField Sample(EventFieldSpec field) => new(field.Name, field.Type switch
    {
        EventFieldType.Integer => field.Name.EndsWith("_ms", StringComparison.Ordinal) ? 1500 : 3,
        EventFieldType.Number => 12.5,
        EventFieldType.Boolean => true,
        EventFieldType.StringList => EventValue.List([$"{field.Name} one", $"{field.Name} two"]),
        _ => field.Name switch
        {
            "until" or "since" or "previous_started" or "reset_at" => "2026-11-28T10:00:00+00:00",
            _ => $"{field.Name}-value",
        },
    });
}
