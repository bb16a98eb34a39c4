using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Tests.Support;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>Each `tend up` is a new session: jobs run again in dependency order, unless one says once = true.</summary>
public sealed class SessionSpecs
{
    private static string Stack(bool once, string seedEnvironment = "") => $$"""
        [components.seed]
        kind = "job"
        command = {{DummyArgv("exit", "0")}}
        {{(once ? "once = true" : "")}}
        {{seedEnvironment}}
        [components.app]
        command = {{DummyArgv("sleep", "600000")}}
        requires = { seed = "completed" }
        min_uptime = "0s"
        """;

    private static int Starts(SupervisorFixture fixture, string component) => fixture.Events.All.Count(e => e.Kind == "component_starting" && e.Component == component);

    [Fact(Timeout = 60_000)]
    public async Task A_job_runs_again_at_the_next_up_before_what_requires_it()
    {
        await using var fixture = new SupervisorFixture(Stack(once: false));
        fixture.Supervisor.Up([]);
        await fixture.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up");
        await fixture.Supervisor.DownAsync([]);

        fixture.Supervisor.Up([]);
        fixture.Get("seed").State.ShouldBe(ComponentState.Waiting, "the new session is set at once, so app cannot read the old completion");
        await fixture.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up again");

        Starts(fixture, "seed").ShouldBe(2);
        var secondSeed = fixture.Events.All.Where(e => e.Kind == "job_completed" && e.Component == "seed").ElementAt(1).Sequence;
        var secondApp = fixture.Events.All.Where(e => e.Kind == "component_starting" && e.Component == "app").ElementAt(1).Sequence;
        secondApp.ShouldBeGreaterThan(secondSeed);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_that_says_once_stays_completed_across_ups()
    {
        await using var fixture = new SupervisorFixture(Stack(once: true));
        fixture.Supervisor.Up([]);
        await fixture.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up");
        await fixture.Supervisor.DownAsync([]);

        fixture.Supervisor.Up([]);
        await fixture.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up again");

        Starts(fixture, "seed").ShouldBe(1);
        fixture.Get("seed").State.ShouldBe(ComponentState.Completed);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_once_job_stays_completed_under_the_next_daemon_while_its_definition_is_the_same()
    {
        IReadOnlyList<ComponentSnapshot> before;
        await using (var first = new SupervisorFixture(Stack(once: true)))
        {
            first.Supervisor.Up([]);
            await first.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up");
            before = first.Supervisor.Snapshot();
        }

        // The stack file as the previous daemon took it, read where the new one's stands (as StackCopy does).
        StackFile PreviousStack(SupervisorFixture next) =>
            StackFileLoader.Parse(Stack(once: true), next.Stack.Path, "stack.last.toml", Environment.GetEnvironmentVariable, new ConfigProblems()).Stack!;

        await using var unchanged = new SupervisorFixture(Stack(once: true));
        unchanged.Supervisor.Restore(before, PreviousStack(unchanged));
        unchanged.Supervisor.Up([]);
        await unchanged.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up under the next daemon");
        Starts(unchanged, "seed").ShouldBe(0);
        unchanged.Get("seed").Reason!.ShouldEndWith("(under a previous daemon; once = true)");

        await using var edited = new SupervisorFixture(Stack(once: true, seedEnvironment: "env = { SEED = \"2\" }"));
        edited.Supervisor.Restore(before, PreviousStack(edited));
        edited.Supervisor.Up([]);
        await edited.WaitUntilAsync("app", s => s.Verdict.IsUp, "came up after the job's edit");
        Starts(edited, "seed").ShouldBe(1, "its definition changed: it runs again");
    }
}
