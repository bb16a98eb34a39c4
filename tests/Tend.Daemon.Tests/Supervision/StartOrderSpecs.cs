using Tend.Core.Status;
using Tend.Core.Tests.Support;
using Tend.Daemon.Supervision;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

public sealed class StartOrderSpecs
{

    [Fact(Timeout = 60_000)]
    public async Task Each_component_starts_only_once_what_it_requires_is_healthy_or_completed()
    {
        var dbPort = LocalServer.FreePort();
        var apiPort = LocalServer.FreePort();
        await using var fixture = new SupervisorFixture($$"""
            [components.db]
            command = {{DummyArgv("http", $"{dbPort}", "200")}}
            health = { http = "http://127.0.0.1:{{dbPort}}/", interval = "1s" }

            [components.migrate]
            kind = "job"
            command = {{DummyArgv("sleep", "300")}}
            requires = { db = "healthy" }

            [components.api]
            command = {{DummyArgv("http", $"{apiPort}", "200")}}
            requires = { db = "healthy", migrate = "completed" }
            health = { tcp = "127.0.0.1:{{apiPort}}" }
            """);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("api", ComponentState.Healthy);

        var dbReady = fixture.Events.First("component_ready", "db").Sequence;
        var migrateStarting = fixture.Events.First("component_starting", "migrate").Sequence;
        var migrateDone = fixture.Events.First("job_completed", "migrate").Sequence;
        var apiStarting = fixture.Events.First("component_starting", "api").Sequence;
        migrateStarting.ShouldBeGreaterThan(dbReady);
        apiStarting.ShouldBeGreaterThan(migrateDone);
        fixture.Get("migrate").State.ShouldBe(ComponentState.Completed);
        fixture.Get("db").State.ShouldBe(ComponentState.Healthy);
    }

    [Fact(Timeout = 60_000)]
    public async Task Down_stops_dependents_before_what_they_require_and_leaves_nothing_running()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.base]
            command = {{DummyArgv("sleep", "600000")}}
            [components.middle]
            command = {{DummyArgv("sleep", "600000")}}
            requires = { base = "started" }
            [components.top]
            command = {{DummyArgv("sleep", "600000")}}
            requires = { middle = "started" }
            """);
        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("top", ComponentState.Running);
        var pids = fixture.Supervisor.Snapshot().Select(s => s.Pid!.Value).ToList();

        try
        {
            await fixture.Supervisor.DownAsync([]).WaitAsync(TimeSpan.FromSeconds(40), TimeProvider.System, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            var alive = pids.Select(pid => $"{pid}: {string.Join(", ", Processes.ProcessGroupStopper.Describe(pid))} leader {Processes.ProcStat.Read(pid)}");
            throw new TimeoutException($"down did not finish; groups:\n{string.Join('\n', alive)}\nsnapshot:\n{string.Join('\n', fixture.Supervisor.Snapshot())}\nevents:\n{string.Join('\n', fixture.Events.All)}");
        }

        var stopped = fixture.Events.All.Where(e => e.Kind == "component_stopped").Select(e => e.Component).ToList();
        stopped.ShouldBe(["top", "middle", "base"]);
        fixture.Supervisor.Snapshot().ShouldAllBe(s => s.State == ComponentState.Stopped && s.Pid == null);
        pids.ShouldAllBe(pid => Processes.ProcStat.GroupMembers(pid).Count == 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_component_waiting_for_a_stuck_requirement_says_so()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.broken]
            kind = "job"
            command = {{DummyArgv("exit", "3")}}
            [components.app]
            command = {{DummyArgv("sleep", "600000")}}
            requires = { broken = "completed" }
            """);

        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("broken", ComponentState.Failed);
        await fixture.WaitUntilAsync("app", app => app.WaitingFor?.Contains("it is failed", StringComparison.Ordinal) == true, "saw broken fail");

        fixture.Get("app").State.ShouldBe(ComponentState.Waiting);
        fixture.Get("app").WaitingFor.ShouldBe("broken (completed; it is failed)");
    }
}
