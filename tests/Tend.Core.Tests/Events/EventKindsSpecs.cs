using System.Text.RegularExpressions;
using Tend.Core.Events;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

public sealed partial class EventKindsSpecs
{
    [Fact]
    public void The_registry_has_every_kind_the_supervisor_writes()
    {
        string[] required =
        [
            "daemon_started", "daemon_stopped", "daemon_recovered", "orphan_stopped", "up_requested", "down_requested",
            "component_waiting", "component_starting", "component_started", "component_ready", "probe_passed", "probe_failed",
            "health_changed", "liveness_failed", "component_exited", "restart_scheduled", "backoff_reset", "crash_loop",
            "config_broken", "component_stopping", "stop_escalated", "component_stopped", "job_completed", "job_failed",
            "stack_file_changed", "command_run", "events_lost",
        ];

        foreach (var name in required)
        {
            EventKinds.Find(name).ShouldNotBeNull(name);
        }
    }

    [Fact]
    public void Kind_and_field_names_are_unique_snake_case_and_never_a_reserved_key()
    {
        EventKinds.All.Select(k => k.Name).ShouldBeUnique();
        foreach (var kind in EventKinds.All)
        {
            SnakeCase().IsMatch(kind.Name).ShouldBeTrue(kind.Name);
            kind.Description.ShouldNotBeNullOrWhiteSpace();
            kind.Fields.Select(f => f.Name).ShouldBeUnique(kind.Name);
            foreach (var field in kind.Fields)
            {
                SnakeCase().IsMatch(field.Name).ShouldBeTrue($"{kind.Name}.{field.Name}");
                EventRecord.ReservedNames.ShouldNotContain(field.Name);
                field.Meaning.ShouldNotBeNullOrWhiteSpace();
            }
        }
    }

    [Fact]
    public void An_event_is_checked_against_its_kind()
    {
        var started = EventKinds.ComponentStarted;
        var good = started.Create(At("2025-06-01T08:00:00Z"), "api", new("run", 1), new("pid", 10), new("pgid", 10), new("extra", "fields only ever gain"));

        started.Check(good).ShouldBeEmpty();
        started.Check(started.Create(At("2025-06-01T08:00:00Z"), "api", new("run", 1), new("pid", "ten"))).ShouldBe(
            ["component_started.pid should be integer, not Text", "component_started lacks field 'pgid'"]);
        started.Check(started.Create(At("2025-06-01T08:00:00Z"), null, new("run", 1), new("pid", 1), new("pgid", 1))).ShouldBe(
            ["component_started is about a component, but none is set"]);
        EventKinds.JobFailed.Check(EventKinds.JobFailed.Create(At("2025-06-01T08:00:00Z"), "migrate", new("run", 1), new("exit_code", EventValue.Null), new("signal", "SIGKILL"), new("duration_ms", 5), new("log_tail", Array.Empty<string>())))
            .ShouldBeEmpty();
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
