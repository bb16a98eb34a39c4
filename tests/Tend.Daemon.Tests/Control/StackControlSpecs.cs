using Tend.Core.Events;
using Tend.Core.Status;
using Tend.Daemon.Hosting;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Control;

/// <summary>The typed door to a running stack: names after the reload, errors as values, one change at a time, reads that never wait.</summary>
public sealed class StackControlSpecs
{
    private static string Stack(params string[] names) =>
        string.Join('\n', names.Select(n => $"[components.{n}]\ncommand = {DummyArgv("sleep", "600000")}\nmin_uptime = \"0s\"\n"));

    [Fact(Timeout = 60_000)]
    public async Task Up_of_a_component_added_to_the_file_takes_the_change_first_and_starts_it()
    {
        await using var fixture = new ControlFixture(Stack("old"));
        (await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        fixture.Edit(Stack("old", "added"));

        var up = await fixture.Control.UpAsync(["added"], fixture.StackPath, null, TestContext.Current.CancellationToken);

        up.Error.ShouldBeNull();
        up.Value!.Changes.ShouldBe(["added: added"]);
        up.Value.Order.ShouldBe(["added"]);
        await fixture.WaitUntilAsync(s => s.Find("added")?.Verdict.IsUp == true, "brought added up");
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_of_a_name_the_file_gained_says_how_to_take_the_change_and_changes_nothing()
    {
        await using var fixture = new ControlFixture(Stack("old"));
        fixture.Edit(Stack("old", "added"));

        var start = await fixture.Control.StartAsync(["added"], cancellationToken: TestContext.Current.CancellationToken);

        start.Error.ShouldNotBeNull().Code.ShouldBe("not_a_component");
        start.Error.Message.ShouldBe("'added' was added to tend.toml after the daemon read it");
        start.Error.Hint.ShouldBe("tend up added takes the change and starts it");
        fixture.Control.Stack.Find("added").ShouldBeNull();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_name_that_is_nowhere_gets_the_closest_one()
    {
        await using var fixture = new ControlFixture(Stack("worker"));

        var stop = await fixture.Control.StopAsync(["workr"], cancellationToken: TestContext.Current.CancellationToken);

        stop.Error.ShouldNotBeNull().Code.ShouldBe("not_a_component");
        stop.Error.Hint.ShouldBe("did you mean 'worker'?");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_broken_stack_file_changes_nothing_and_says_where_to_look()
    {
        await using var fixture = new ControlFixture(Stack("a"));
        fixture.Edit("[components.a]\ncommand = \"not an argv\"\n");

        var up = await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken);

        up.Error.ShouldNotBeNull().Code.ShouldBe("stack_file_invalid");
        up.Error.Hint.ShouldBe("tend validate shows them with their lines");
        fixture.Control.Status().Components.ShouldAllBe(c => c.State == ComponentState.Stopped);
    }

    [Fact(Timeout = 120_000)]
    public async Task Status_and_state_json_keep_up_while_reloads_add_and_remove_components()
    {
        await using var fixture = new ControlFixture(Stack("base", "a"));
        (await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        var state = new StateStore(fixture.Paths.State);
        using var stopping = new CancellationTokenSource();
        var persisting = new StatePersistence(state, fixture.Control, fixture.Events, TimeProvider.System).RunAsync(stopping.Token);
        var failures = new List<Exception>();
        var reads = 0;
        var reading = Task.Run(() =>
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var snapshot = fixture.Control.Status();
                    snapshot.Components.Count.ShouldBe(2);
                    reads++;
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 6; i++)
        {
            var names = i % 2 == 0 ? new[] { "base", "b" } : ["base", "a"];
            fixture.Edit(Stack(names));
            (await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken)).Error.ShouldBeNull();
            await fixture.WaitUntilAsync(s => s.Components.Select(c => c.Name).SequenceEqual(names) && s.Components.All(c => c.Verdict.IsUp), $"ran {string.Join(", ", names)}");
        }

        // state.json follows the last reload: the persistence outlived every swap.
        await ControlFixture.PollAsync(
            () => StateStore.Read(fixture.Paths.State) is { } written && written.Components.Select(c => c.Name).SequenceEqual(["base", "a"]) && written.Components.All(c => c.Pid is not null),
            "written state.json after the last reload, with the pids of its runs");
        await stopping.CancelAsync();
        await reading;
        await persisting;
        reads.ShouldBeGreaterThan(0);
        failures.ShouldBeEmpty();
        StateStore.Read(fixture.Paths.State)!.Components.Where(c => c.Name == "a").ShouldHaveSingleItem().Pid.ShouldNotBeNull();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stack_file_change_is_one_event_naming_what_was_added_removed_and_restarted()
    {
        await using var fixture = new ControlFixture(Stack("kept", "gone"));
        (await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        await fixture.WaitUntilAsync(s => s.Components.All(c => c.Verdict.IsUp), "brought both up");
        fixture.Edit(Stack("kept", "fresh").Replace("[components.kept]\n", "[components.kept]\nenv = { MODE = \"new\" }\n", StringComparison.Ordinal));

        var up = await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken);

        up.Value!.Restarted.ShouldBe(["kept"]);
        var changed = new EventReader(fixture.Paths.Events).Read(new EventFilter { Kinds = ["stack_file_changed"] }).ShouldHaveSingleItem();
        changed.GetList("added").ShouldBe(["fresh"]);
        changed.GetList("removed").ShouldBe(["gone"]);
        changed.GetList("restarts").ShouldBe(["kept"]);
        changed.GetList("changed").ShouldBe(["fresh: added", "kept: env changed", "gone: removed"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Changes_go_through_one_at_a_time_and_reads_do_not_wait_for_them()
    {
        await using var fixture = new ControlFixture($$"""
            [components.slow]
            command = {{DummyArgv("ignore-term")}}
            stop = { grace = "2s" }
            min_uptime = "0s"
            [components.quick]
            command = {{DummyArgv("sleep", "600000")}}
            min_uptime = "0s"
            """);
        (await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        await fixture.WaitUntilAsync(s => s.Components.All(c => c.Verdict.IsUp), "brought both up");
        await fixture.WaitForLogAsync("slow", "ready");

        var stopping = fixture.Control.StopAsync(["slow"], cancellationToken: TestContext.Current.CancellationToken);
        await fixture.WaitUntilAsync(s => s.Find("slow")!.State == ComponentState.Stopping, "began stopping slow");
        var statusWhileStopping = fixture.Control.Status();
        var stopQuick = fixture.Control.StopAsync(["quick"], cancellationToken: TestContext.Current.CancellationToken);
        var quickBeforeSlow = await Task.WhenAny(stopping, stopQuick) == stopQuick;
        await Task.WhenAll(stopping, stopQuick);

        statusWhileStopping.Find("slow")!.State.ShouldBe(ComponentState.Stopping);
        quickBeforeSlow.ShouldBeFalse("the second change waited for the first");
        var stops = new EventReader(fixture.Paths.Events).Read(new EventFilter { Kinds = ["component_stopped"] }).Select(e => e.Component).ToList();
        stops.ShouldBe(["slow", "quick"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Events_are_the_history_then_every_new_one_none_twice()
    {
        await using var fixture = new ControlFixture(Stack("a"));
        for (var i = 0; i < 5; i++)
        {
            fixture.Events.Emit(EventKinds.SupervisorError, "a", new EventField("error", $"before {i}"));
        }

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = new List<string>();
        var enumerator = fixture.Control.EventsAsync(new EventFilter { Kinds = ["supervisor_error"] }, 3, follow: true, reading.Token).GetAsyncEnumerator(reading.Token);
        for (var i = 0; i < 3 && await enumerator.MoveNextAsync(); i++)
        {
            seen.Add(enumerator.Current.GetText("error")!);
        }

        fixture.Events.Emit(EventKinds.SupervisorError, "a", new EventField("error", "after"));
        await enumerator.MoveNextAsync();
        seen.Add(enumerator.Current.GetText("error")!);
        await reading.CancelAsync();
        await enumerator.DisposeAsync();

        seen.ShouldBe(["before 2", "before 3", "before 4", "after"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Logs_of_an_external_component_are_refused_with_the_reason()
    {
        await using var fixture = new ControlFixture("[components.db]\nkind = \"external\"\n");

        var logs = fixture.Control.Logs("db", null, 10, follow: false, TestContext.Current.CancellationToken);

        logs.Error.ShouldNotBeNull().Message.ShouldBe("db is external: tend never runs it, so it has no logs here");
    }
}
