using Tend.Core.Metrics;

namespace Tend.Core.Tests.Metrics;

/// <summary>The text format as Prometheus parses it: HELP and TYPE before the samples, escaped label values, cumulative histograms.</summary>
public sealed class ExpositionWriterSpecs
{
    [Fact]
    public void A_family_starts_with_its_help_and_type_and_its_samples_follow_with_their_labels()
    {
        var writer = new ExpositionWriter();
        writer.Family("tend_component_up", MetricType.Gauge, "1 when up");
        writer.Sample("tend_component_up", 1L, new Label("component", "api"));
        writer.Sample("tend_component_up", 0.5, new Label("component", "web"), new Label("state", "x"));
        writer.Family("tend_events_total", MetricType.Counter, "events");
        writer.Sample("tend_events_total", 3L);

        writer.ToString().ShouldBe("""
            # HELP tend_component_up 1 when up
            # TYPE tend_component_up gauge
            tend_component_up{component="api"} 1
            tend_component_up{component="web",state="x"} 0.5
            # HELP tend_events_total events
            # TYPE tend_events_total counter
            tend_events_total 3

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Label_values_escape_backslash_double_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        var writer = new ExpositionWriter();
        writer.Family("m", MetricType.Gauge, "a \\ help\nwith \"quotes\"");
        writer.Sample("m", 1L, new Label("mount", "C:\\dir \"x\"\nnext"));

        var lines = writer.ToString().Split('\n');
        lines[0].ShouldBe("# HELP m a \\\\ help\\nwith \"quotes\"", "HELP escapes backslash and newline, not quotes");
        lines[2].ShouldBe("m{mount=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1");
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_ending_in_plus_Inf_then_its_sum_and_count()
    {
        var writer = new ExpositionWriter();
        writer.Family("tend_probe_duration_seconds", MetricType.Histogram, "probes");
        writer.Histogram("tend_probe_duration_seconds", [0.005, 0.1], [2, 3, 1], 0.75, new Label("component", "api"));

        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..].ShouldBe(
        [
            "tend_probe_duration_seconds_bucket{component=\"api\",le=\"0.005\"} 2",
            "tend_probe_duration_seconds_bucket{component=\"api\",le=\"0.1\"} 5",
            "tend_probe_duration_seconds_bucket{component=\"api\",le=\"+Inf\"} 6",
            "tend_probe_duration_seconds_sum{component=\"api\"} 0.75",
            "tend_probe_duration_seconds_count{component=\"api\"} 6",
        ]);
        writer.ToString().ShouldContain("# TYPE tend_probe_duration_seconds histogram");
    }

    [Fact]
    public void Numbers_are_written_in_invariant_shortest_form_and_infinities_as_the_format_spells_them()
    {
        ExpositionWriter.Format(0.1).ShouldBe("0.1");
        ExpositionWriter.Format(1795934380.871).ShouldBe("1795934380.871");
        ExpositionWriter.Format(double.PositiveInfinity).ShouldBe("+Inf");
        ExpositionWriter.Format(double.NegativeInfinity).ShouldBe("-Inf");
        ExpositionWriter.Format(double.NaN).ShouldBe("NaN");
    }

    [Fact]
    public void A_histogram_whose_counts_do_not_fit_its_bounds_is_a_bug_not_a_wrong_scrape()
    {
        var writer = new ExpositionWriter();
        Should.Throw<ArgumentException>(() => writer.Histogram("h", [1.0], [1], 0));
    }
}
