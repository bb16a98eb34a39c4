using System.Globalization;
using Tend.Core.Status;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

public sealed class StopSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_service_whose_children_ignore_TERM_is_killed_after_the_grace_period_and_nothing_is_left()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.stubborn]
            command = {{DummyArgv("spawn-children", "3", "--ignore-term")}}
            stop = { signal = "TERM", grace = "500ms" }
            """);
        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("stubborn", ComponentState.Running);
        var leader = fixture.Get("stubborn").Pid!.Value;
        // Each child says so once its TERM handler is in place.
        await WaitForAsync(() => fixture.Output.Lines("stubborn", 1).Count(l => l.StartsWith("child ", StringComparison.Ordinal)) == 3);

        await fixture.Supervisor.Find("stubborn")!.StopAsync();

        ProcStat.GroupMembers(leader).ShouldBeEmpty();
        var escalated = fixture.Events.First("stop_escalated", "stubborn");
        // The three children that ignore TERM; the leader too, if it was slow to act on its TERM.
        var alive = (IReadOnlyList<string>)escalated["alive"]!;
        alive.Count(a => a.Contains("sleep", StringComparison.Ordinal)).ShouldBe(3);
        alive.Count.ShouldBeLessThanOrEqualTo(4);
        fixture.Get("stubborn").State.ShouldBe(ComponentState.Stopped);
    }

    [Fact(Timeout = 60_000)]
    public async Task Children_left_behind_by_an_exited_leader_are_stopped_before_the_restart()
    {
        await using var fixture = new SupervisorFixture($$"""
            [components.leaky]
            command = ["sh", "-c", "sleep 600 & sleep 600 & echo started; exit 1"]
            restart = { policy = "on-failure", backoff = "0s", budget = "1/1h" }
            stop = { grace = "1s" }
            """);

        fixture.Supervisor.Up([]);
        var first = await fixture.Events.WaitForAsync("component_started", "leaky", 1);
        await fixture.Events.WaitForAsync("component_exited", "leaky", 1);

        ProcStat.GroupMembers(Convert.ToInt32(first["pid"], CultureInfo.InvariantCulture)).ShouldBeEmpty();
        fixture.Events.All.ShouldContain(e => e.Kind == "component_stopping" && (string)e["reason"]! == "leftovers of an exited run");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System);
        }

        condition().ShouldBeTrue();
    }
}
