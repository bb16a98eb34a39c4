using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Metrics;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Status;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Metrics;

/// <summary>
/// The quickstart stack as a scrape shows it: a state one-hot over the fixed set of states, the
/// restarts by reason as counters that exist from the start, label values from bounded sets only,
/// and a bounded number of series for each component.
/// </summary>
public sealed class StackExpositionSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private static StackFile Quickstart { get; } = StackFileLoader.Load(Path.Combine(RepoPaths.Root, "examples", "quickstart", "tend.toml"), _ => null).Stack!;

    private static ComponentSnapshot Component(string name, ComponentKind kind, ComponentState state, ProbeHealth? health = null, int? exitCode = null, int? signal = null, RoundsSnapshot? rounds = null, ResourceUsage? usage = null) =>
        new(name, kind, state, null, Now, 3, state.IsRunning() ? 4242 : null, null, Now.AddMinutes(-5), 2, health, 0, null, exitCode, signal, null, null, null, null, rounds)
        {
            Usage = usage,
            Active = true,
        };

    private static RoundsSnapshot Rounds(bool inRound, DateTimeOffset? throttledUntil = null) =>
        new(7, null, inRound, inRound ? Now.AddSeconds(-90) : null, 7, null, "ok", 12.5, null, Now.AddMinutes(-1), null, null, throttledUntil, 0, false, 0, "/s", false, null, "/f", false, null);

    private static StackSnapshot Snapshot(params ComponentSnapshot[] components) =>
        new("quickstart", Quickstart.Path, 100, 1, Now.AddHours(-1), Now, components)
        {
            Host = new HostSample(Now, 0.5, 25, 2, 8_000_000_000, 6_000_000_000, null, [new DiskSample("/", 100, 10, 90.5, ["/x"], ["store"])]),
            Alerts = [new AlertRecord("disk", "/", null, AlertSeverity.Warning, "a disk is filling up", null, Now, null, 90.5, [], null)],
        };

    private static readonly ComponentSnapshot[] Running =
    [
        Component("store", ComponentKind.Service, ComponentState.Healthy, ProbeHealth.Passing, usage: new ResourceUsage(3, 22_000_000, 1, Now)),
        Component("seed", ComponentKind.Job, ComponentState.Completed, exitCode: 0),
        Component("web", ComponentKind.Service, ComponentState.Backoff, signal: 11),
        Component("digest", ComponentKind.Rounds, ComponentState.BetweenRounds, rounds: Rounds(inRound: false, Now.AddMinutes(10))),
    ];

    private static StackCounts Counts(Dictionary<string, ComponentCounts>? components = null) =>
        new([.. EventKinds.All.Select((_, i) => (long)i)], components ?? [], 0.0001);

    private static List<ExposedSample> Scrape(StackSnapshot snapshot, StackCounts? counts = null) =>
        ExpositionText.Samples(StackExposition.Write(snapshot, Quickstart, counts ?? Counts(), "1.2.3"));

    [Fact]
    public void Each_component_has_every_state_of_the_fixed_set_with_1_on_its_own_and_0_on_the_others()
    {
        var samples = Scrape(Snapshot(Running));

        foreach (var component in Running)
        {
            var states = samples.Where(s => s.Name == "tend_component_state" && s["component"] == component.Name).ToList();
            states.Select(s => s["state"]).ShouldBe(ComponentStates.Names);
            states.Single(s => s.Value == "1")["state"].ShouldBe(component.State.Name());
            states.Count(s => s.Value == "0").ShouldBe(ComponentStates.Names.Count - 1);
        }

        samples.Single(s => s.Name == "tend_component_up" && s["component"] == "store").Value.ShouldBe("1");
        samples.Single(s => s.Name == "tend_component_up" && s["component"] == "web").Value.ShouldBe("0", "backing off is not up");
        var health = samples.Where(s => s.Name == "tend_component_health" && s["component"] == "store").ToList();
        health.Select(s => (s["state"], s.Value)).ShouldBe([("starting", "0"), ("passing", "1"), ("failing", "0")]);
        samples.ShouldNotContain(s => s.Name == "tend_component_health" && s["component"] == "seed", "a job without a probe has no health");
    }

    [Fact]
    public void Restarts_are_counters_by_a_fixed_set_of_reasons_that_exist_at_0_before_the_first()
    {
        var counts = Counts(new() { ["web"] = ComponentCounts.Zero with { Restarts = [4, 1, 0, 2, 0] } });

        var samples = Scrape(Snapshot(Running), counts);

        var web = samples.Where(s => s.Name == "tend_component_restarts_total" && s["component"] == "web").ToDictionary(s => s["reason"]!, s => s.Value);
        web.ShouldBe(new Dictionary<string, string> { ["exit"] = "4", ["signal"] = "1", ["liveness"] = "0", ["manual"] = "2", ["monitor"] = "0" });
        samples.Where(s => s.Name == "tend_component_restarts_total" && s["component"] == "store").Select(s => s.Value).ShouldBe(["0", "0", "0", "0", "0"]);
        samples.Single(s => s.Name == "tend_component_last_exit_code" && s["component"] == "web").Value.ShouldBe("139", "SIGSEGV ended it: 128 + 11, as a shell says");
        samples.Single(s => s.Name == "tend_events_total" && s["kind"] == EventKinds.All[5].Name).Value.ShouldBe("5");
    }

    [Fact]
    public void Every_family_is_announced_once_with_help_and_type_before_its_samples_and_never_interleaved()
    {
        var text = StackExposition.Write(Snapshot(Running), Quickstart, Counts(), "1.2.3");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var seen = new List<string>();
        string? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                current = line.Split(' ')[2];
                seen.ShouldNotContain(current, $"{current} is announced twice");
                seen.Add(current);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                line.Split(' ')[2].ShouldBe(current);
                continue;
            }

            var name = line.Split('{', ' ')[0];
            (name == current || name.StartsWith(current + "_", StringComparison.Ordinal)).ShouldBeTrue($"{name} is outside its family (now in {current})");
        }

        seen.ShouldBeSubsetOf(ExposedMetrics.All.Select(m => m.Name));
        foreach (var metric in ExposedMetrics.All.Where(m => m.Type == MetricType.Counter))
        {
            metric.Name.ShouldEndWith("_total");
        }

        text.ShouldEndWith("\n");
    }

    [Fact]
    public void Label_values_come_only_from_bounded_sets_and_no_component_has_more_than_20_series_in_a_family()
    {
        var samples = Scrape(Snapshot(Running), Counts(new() { ["store"] = ComponentCounts.Zero with { Probe = new HistogramCounts([1, 2, 3, 0, 0, 1], 4.2) } }));

        var components = Quickstart.Components.Select(c => c.Name).ToHashSet();
        var bounded = new Dictionary<string, HashSet<string>>
        {
            ["component"] = components,
            ["state"] = [.. ComponentStates.Names, .. ComponentStates.HealthNames],
            ["reason"] = [.. RestartReasons.Names],
            ["outcome"] = [.. RoundOutcomes.Names],
            ["kind"] = [.. EventKinds.All.Select(k => k.Name)],
            ["rule"] = [.. Quickstart.Monitor.Rules.Select(r => r.Name)],
            ["severity"] = ["info", "warning", "critical"],
            ["version"] = ["1.2.3"],
            ["mount"] = ["/"],
            ["le"] = [.. HistogramCounts.ProbeBounds.Select(ExpositionWriter.Format), "+Inf"],
        };
        foreach (var sample in samples)
        {
            foreach (var (label, value) in sample.Labels)
            {
                bounded.ShouldContainKey(label, $"{sample.Name} has a label {label} no bounded set holds");
                bounded[label].ShouldContain(value, $"{sample.Name}{{{label}=\"{value}\"}}");
            }
        }

        foreach (var perComponent in samples.Where(s => s["component"] is not null).GroupBy(s => s["component"]))
        {
            foreach (var family in perComponent.GroupBy(s => ExposedMetrics.All.First(m => s.Name == m.Name || s.Name.StartsWith(m.Name + "_", StringComparison.Ordinal)).Name))
            {
                family.Count().ShouldBeLessThanOrEqualTo(20, $"{perComponent.Key} has {family.Count()} series of {family.Key}");
            }

            perComponent.Count().ShouldBeLessThanOrEqualTo(StackExposition.MaxSeriesPerComponent, $"{perComponent.Key}: {perComponent.Count()} series in all");
        }
    }

    [Fact]
    public void Rounds_host_and_alerts_are_in_base_units_and_every_enabled_rule_is_there_firing_or_not()
    {
        var samples = Scrape(Snapshot(Running));

        samples.Single(s => s.Name == "tend_throttled_until_timestamp_seconds").Value.ShouldBe(ExpositionWriter.Format(Now.AddMinutes(10).ToUnixTimeSeconds()));
        samples.Single(s => s.Name == "tend_round_duration_seconds").Value.ShouldBe("12.5");
        samples.Single(s => s.Name == "tend_round_timeout_seconds").Value.ShouldBe(ExpositionWriter.Format(Quickstart.Find("digest")!.Rounds!.Timeout.TotalSeconds));
        samples.ShouldNotContain(s => s.Name == "tend_round_start_time_seconds", "no round runs");
        samples.Single(s => s.Name == "tend_host_disk_used_ratio")["mount"].ShouldBe("/");
        samples.Single(s => s.Name == "tend_host_disk_used_ratio").Value.ShouldBe("0.905");
        samples.Single(s => s.Name == "tend_host_cpu_usage_ratio").Value.ShouldBe("0.25");
        samples.Single(s => s.Name == "tend_component_resident_memory_bytes").Value.ShouldBe("22000000");
        samples.Single(s => s.Name == "tend_alerts_firing" && s["rule"] == "disk").Value.ShouldBe("1");
        samples.Single(s => s.Name == "tend_alerts_firing" && s["rule"] == "memory").Value.ShouldBe("0");
        samples.ShouldNotContain(s => s.Name == "tend_alerts_firing" && s["rule"] == "idle", "idle is off by default");
        samples.Single(s => s.Name == "tend_build_info")["version"].ShouldBe("1.2.3");
        samples.Single(s => s.Name == "tend_daemon_start_time_seconds").Value.ShouldBe(ExpositionWriter.Format(Now.AddHours(-1).ToUnixTimeSeconds()));
    }
}
