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
}
