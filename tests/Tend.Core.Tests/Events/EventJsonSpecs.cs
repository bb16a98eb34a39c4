using System.Diagnostics;
using System.Text;
using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

public sealed class EventJsonSpecs
{
    [Fact]
    public void Every_value_type_survives_a_round_trip()
    {
        var record = Event(
            "2025-06-01T08:00:00.1234567Z",
            "component_exited",
            "manager",
            new EventField("text", "quote \" backslash \\ newline \n tab \t é ✓ <tag> & \u2028 end"),
            new EventField("integer", long.MaxValue),
            new EventField("negative", long.MinValue),
            new EventField("number", 2.0),
            new EventField("fraction", 0.1 + 0.2),
            new EventField("tiny", -1.5e-9),
            new EventField("yes", true),
            new EventField("no", false),
            new EventField("nothing", EventValue.Null),
            new EventField("list", EventValue.List(["a", "", "line\nbreak", "ünï"])),
            new EventField("empty_list", Array.Empty<string>()));

        var parsed = EventJson.Parse(EventJson.ToLine(record).AsSpan(..^1));

        parsed.ShouldBe(record);
        parsed!["number"].ShouldBeOfType<EventValue.Number>();
        parsed["integer"].ShouldBeOfType<EventValue.Integer>();
    }

    [Fact]
    public void A_stack_event_has_a_null_component_and_keeps_it_through_a_round_trip()
    {
        var record = Event("2025-06-01T08:00:00Z", "daemon_started", component: null, new EventField("pid", 42));

        var line = EventJson.ToLineString(record);

        line.ShouldBe("""{"ts":"2025-06-01T08:00:00.0000000Z","event":"daemon_started","component":null,"pid":42}""" + "\n");
        EventJson.Parse(line.TrimEnd('\n')).ShouldBe(record);
    }

    [Fact]
    public void Fields_are_written_and_read_in_the_order_given()
    {
        var record = Event("2025-06-01T08:00:00Z", "x", "api", new EventField("zulu", 1), new EventField("alpha", 2), new EventField("mike", 3));

        var line = EventJson.ToLineString(record);

        line.IndexOf("\"ts\"", StringComparison.Ordinal).ShouldBeLessThan(line.IndexOf("\"event\"", StringComparison.Ordinal));
        line.IndexOf("\"component\"", StringComparison.Ordinal).ShouldBeLessThan(line.IndexOf("\"zulu\"", StringComparison.Ordinal));
        line.IndexOf("\"zulu\"", StringComparison.Ordinal).ShouldBeLessThan(line.IndexOf("\"alpha\"", StringComparison.Ordinal));
        line.IndexOf("\"alpha\"", StringComparison.Ordinal).ShouldBeLessThan(line.IndexOf("\"mike\"", StringComparison.Ordinal));
        EventJson.Parse(line.TrimEnd('\n'))!.Fields.Select(f => f.Name).ShouldBe(["zulu", "alpha", "mike"]);
    }

    [Fact]
    public void A_line_is_a_single_line_whatever_the_text_holds()
    {
        var line = EventJson.ToLineString(Event("2025-06-01T08:00:00Z", "x", "a\nb", new EventField("tail", EventValue.List(["one\r\ntwo", "\u2028\u2029"]))));

        line.Count(c => c == '\n').ShouldBe(1);
        line.ShouldEndWith("\n");
        line.ShouldNotContain('\r');
    }

    [Fact]
    public void A_time_in_another_offset_is_written_in_UTC()
    {
        var record = Event("2025-06-02T01:30:00+02:00", "x");

        EventJson.ToLineString(record).ShouldStartWith("""{"ts":"2025-06-01T23:30:00.0000000Z",""");
        record.Day.ShouldBe(new DateOnly(2025, 6, 1));
    }

    [Fact]
    public void A_number_without_a_JSON_form_is_written_as_null()
    {
        var line = EventJson.ToLineString(Event("2025-06-01T08:00:00Z", "x", "api", new EventField("nan", double.NaN), new EventField("inf", double.PositiveInfinity)));

        line.ShouldContain("\"nan\":null,\"inf\":null");
    }

    [Fact]
    public void Fields_and_shapes_a_reader_does_not_know_are_read_past()
    {
        var parsed = EventJson.Parse("""{"ts":"2025-06-01T08:00:00Z","event":"future_kind","component":"api","nested":{"a":[1,{"b":2}]},"numbers":[1,2],"known":"yes","n":7}""");

        parsed.ShouldNotBeNull();
        parsed.Kind.ShouldBe("future_kind");
        parsed.Fields.Select(f => f.Name).ShouldBe(["known", "n"]);
        parsed.GetInteger("n").ShouldBe(7);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("""{"event":"x"}""")]
    [InlineData("""{"ts":"2025-06-01T08:00:00Z"}""")]
    [InlineData("""{"ts":"yesterday","event":"x"}""")]
    [InlineData("""{"ts":"2025-06-01T08:00:00Z","event":""}""")]
    [InlineData("""{"ts":"2025-06-01T08:00:00Z","event":42}""")]
    [InlineData("""{"ts":"2025-06-01T08:00:00Z","event":"x"} trailing""")]
    [InlineData("""{"ts":"2025-06-01T08:00:00Z","event":"x"}{"ts":"2025-06-01T08:00:00Z","event":"y"}""")]
    [InlineData("""{"ts":"2025-06-01T08:00:00Z","event":"x","n":""")]
    [InlineData("\0\0\0\0")]
    public void A_line_that_is_not_an_event_parses_to_null(string line) => EventJson.Parse(line).ShouldBeNull();

    [Fact]
    public void Invalid_UTF8_parses_to_null()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"ts":"2025-06-01T08:00:00Z","event":"x","t":"ab"}""");
        bytes[^4] = 0xC3;

        EventJson.Parse(bytes).ShouldBeNull();
    }

    [Fact]
    public void A_field_may_not_take_a_reserved_key_or_appear_twice()
    {
        Should.Throw<ArgumentException>(() => Event("2025-06-01T08:00:00Z", "x", "api", new EventField("ts", "now")));
        Should.Throw<ArgumentException>(() => Event("2025-06-01T08:00:00Z", "x", "api", new EventField("n", 1), new EventField("n", 2)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Jq_reads_the_file_as_one_object_per_line()
    {
        var jq = FindOnPath("jq");
        Assert.SkipWhen(jq is null, "jq is not installed");
        using var directory = new TempDirectory();
        Write(
            directory.Path,
            Event("2025-06-01T08:00:00Z", "component_started", "manager", new EventField("run", 1), new EventField("pid", 4242)),
            Event("2025-06-01T08:00:01Z", "component_exited", "manager", new EventField("log_tail", EventValue.List(["a \"quoted\" line", "é"]))),
            Event("2025-06-01T08:00:02Z", "daemon_stopped", null));
        var info = new ProcessStartInfo(jq!) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-r");
        info.ArgumentList.Add("""[.event, (.component // "-"), (.pid // "-" | tostring), (.log_tail // [] | join("|"))] | join(" ")""");
        info.ArgumentList.Add(DayFile(directory.Path, "2025-06-01"));

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        output.ShouldBe("component_started manager 4242 \ncomponent_exited manager - a \"quoted\" line|é\ndaemon_stopped - - \n");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
