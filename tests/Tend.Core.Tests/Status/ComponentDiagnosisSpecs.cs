using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Tests.Status;

/// <summary>What `tend why` names as the cause of a failed component: its own last pre-flight, never an earlier session's.</summary>
public sealed class ComponentDiagnosisSpecs
{
    private static readonly DateTimeOffset Then = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    private static readonly ComponentSnapshot Failed =
        new("api", ComponentKind.Job, ComponentState.Failed, "exit code 1", Then, 2, null, null, null, 0, null, 0, null, 1, null, Then, null, null, null);

    private static StackFile Stack()
    {
        var result = StackFileLoader.Parse("""
            [components.api]
            kind = "job"
            command = ["./api"]
            """, "/s/tend.toml", "tend.toml", _ => null, new ConfigProblems());
        return result.Stack.ShouldNotBeNull();
    }

    private static EventRecord PreflightFailed(int minute) => new(Then.AddMinutes(minute), EventKinds.PreflightFailed.Name, "api",
        [new("cause", "port 8080 is taken"), EventFields.List("actions", ["free the port"])]);

    private static EventRecord Starting(int minute) => new(Then.AddMinutes(minute), EventKinds.ComponentStarting.Name, "api", [new("run", 2)]);

    [Fact]
    public void A_failed_pre_flight_that_is_the_last_thing_it_did_is_the_cause()
    {
        var diagnosis = ComponentDiagnosis.For(Stack(), Failed, [], [Starting(0), PreflightFailed(5)]);

        diagnosis.ShouldNotBeNull().Cause.ShouldBe("port 8080 is taken");
    }

    [Fact]
    public void A_pre_flight_that_failed_before_a_later_run_is_not_the_cause_of_that_run_failing()
    {
        var diagnosis = ComponentDiagnosis.For(Stack(), Failed, ["fatal: cannot open database"], [PreflightFailed(0), Starting(60)]);

        (diagnosis?.Cause ?? "").ShouldNotContain("port 8080");
    }

    private static EventRecord At(int second, EventKind kind, params EventField[] fields) => new(Then.AddSeconds(second), kind.Name, "api", fields);

    [Fact]
    public void A_run_that_tend_restarted_for_its_liveness_is_explained_by_the_probe_not_by_exit_143_even_while_it_starts_again()
    {
        var starting = Failed with { State = ComponentState.Running, Kind = ComponentKind.Service, LastExitCode = null, LastSignal = 15 };
        List<EventRecord> events =
        [
            At(0, EventKinds.ComponentStarted, new EventField("run", 1)),
            At(30, EventKinds.LivenessFailed, new EventField("summary", "liveness: HTTP 503 ×3"), new EventField("consecutive_failures", 3), new EventField("threshold", 3), new EventField("action", "restart")),
            At(31, EventKinds.ComponentExited, new EventField("run", 1), new EventField("signal", "SIGTERM")),
            At(32, EventKinds.ComponentStarted, new EventField("run", 2)),
        ];

        var diagnosis = ComponentDiagnosis.For(Stack(), starting, ["GET /health 503"], events).ShouldNotBeNull();

        diagnosis.RuleId.ShouldBe("liveness-restart");
        diagnosis.Cause.ShouldContain("failed 3 times in a row after passing (liveness: HTTP 503 ×3)");
        diagnosis.Cause.ShouldNotContain("143");
        diagnosis.Actions[0].ShouldBe("See what it was doing when it stopped answering: `tend logs api --run 1 -n 50`");
    }

    [Fact]
    public void A_round_tend_killed_at_its_timeout_is_explained_by_the_timeout()
    {
        List<EventRecord> events =
        [
            At(0, EventKinds.ComponentStarted, new EventField("run", 2)),
            At(600, EventKinds.Rounds.RoundTimeoutKill, new EventField("round", 2), new EventField("timeout_ms", 600_000), EventFields.List("alive", ["pid 9 (agent)"])),
            At(601, EventKinds.ComponentExited, new EventField("run", 2), new EventField("signal", "SIGTERM")),
        ];

        var diagnosis = ComponentDiagnosis.For(Stack(), Failed with { LastExitCode = null, LastSignal = 15 }, [], events).ShouldNotBeNull();

        diagnosis.RuleId.ShouldBe("round-timeout");
        diagnosis.Cause.ShouldContain("past its timeout of 10m");
    }

    [Fact]
    public void A_run_the_program_ended_itself_is_still_explained_by_its_exit()
    {
        List<EventRecord> events =
        [
            At(0, EventKinds.LivenessFailed, new EventField("summary", "liveness: HTTP 503 ×3"), new EventField("consecutive_failures", 3), new EventField("threshold", 3), new EventField("action", "restart")),
            At(1, EventKinds.ComponentStarted, new EventField("run", 2)),
            At(5, EventKinds.ComponentExited, new EventField("run", 2), new EventField("exit_code", 1)),
        ];

        ComponentDiagnosis.For(Stack(), Failed, ["boom"], events).ShouldNotBeNull().RuleId.ShouldNotBe("liveness-restart");
    }
}
