using Tend.Core.Model;
using Tend.Core.Monitoring;

namespace Tend.Core.Tests.Monitoring;

public sealed class EventWindowSpecs
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static MonitorRule Counting(EventCount count) => new(
        "r", true, new RuleCondition(MetricCatalog.Events, ThresholdDirection.Above, 2, null, null, false) { Events = count }, [], [], TimeSpan.Zero, TimeSpan.Zero, AlertSeverity.Warning, RuleAction.Alert, [], "r", null);

    [Fact]
    public void The_last_n_events_of_a_kind_are_counted_by_their_fields()
    {
        var auth = new EventCount("round_ended", new Dictionary<string, string> { ["bucket"] = "auth" }.ToValueDictionary(), null, 10);
        var window = new EventWindow([Counting(auth)]);
        for (var i = 0; i < 12; i++)
        {
            var bucket = i is 0 or 1 or 9 or 11 ? "auth" : null;
            window.Add("round_ended", "agent", Start.AddMinutes(i), f => f == "bucket" ? bucket : null);
        }

        window.Count(auth, "agent", Start.AddMinutes(12)).ShouldBe(2, "of the last 10 (rounds 2 to 11), two ended in auth");
        window.Count(auth, "other", Start.AddMinutes(12)).ShouldBe(0);
        window.Add("component_started", "agent", Start, _ => null);
        window.Wants("component_started").ShouldBeFalse();
    }

    [Fact]
    public void Events_in_a_window_are_counted_until_they_age_out()
    {
        var restarts = new EventCount("restart_scheduled", ValueDictionary.Empty, TimeSpan.FromHours(1), null);
        var window = new EventWindow([Counting(restarts)]);
        window.Add("restart_scheduled", "api", Start, _ => null);
        window.Add("restart_scheduled", "api", Start.AddMinutes(30), _ => null);
        window.Add("restart_scheduled", "api", Start.AddMinutes(50), _ => null);
        window.Count(restarts, "api", Start.AddMinutes(55)).ShouldBe(3);
        window.Count(restarts, "api", Start.AddMinutes(75)).ShouldBe(2);
        window.LongestWindow.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void An_average_needs_history_over_half_its_window()
    {
        var history = new MetricHistory(TimeSpan.FromMinutes(5));
        history.Add("host", "host.cpu_percent", 4, Start);
        history.Average("host", "host.cpu_percent", TimeSpan.FromMinutes(5), Start).ShouldBeNull("a fresh daemon has not seen the host idle");
        history.Add("host", "host.cpu_percent", 8, Start.AddMinutes(3));
        history.Average("host", "host.cpu_percent", TimeSpan.FromMinutes(5), Start.AddMinutes(3)).ShouldBe(6);
        history.Add("host", "host.cpu_percent", 20, Start.AddMinutes(7));
        history.Average("host", "host.cpu_percent", TimeSpan.FromMinutes(5), Start.AddMinutes(7)).ShouldBe(14, "the first sample is older than 5 minutes");
    }
}
