using Tend.Core.Model;
using Tend.Daemon.Hosting;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>Issue 7: status read while reloads add and remove components must never throw.</summary>
public sealed class ReloadRaceSpecs
{
    [Fact(Timeout = 120_000)]
    public async Task Status_read_during_reloads_that_add_and_remove_components_never_fails()
    {
        string Stack(params string[] names) => string.Join('\n', names.Select(n => $"[components.{n}]\ncommand = {DummyArgv("sleep", "600000")}\n"));
        await using var fixture = new SupervisorFixture(Stack("base", "a"));
        fixture.Supervisor.Up([]);
        var failures = new List<Exception>();
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    fixture.Supervisor.Snapshot();
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
            var next = Load(fixture.Directory.Path, i % 2 == 0 ? Stack("base", "b") : Stack("base", "a"));
            await fixture.Supervisor.ReloadAsync(next, StackChanges.Between(fixture.Supervisor.Stack, next));
        }

        await stop.CancelAsync();
        await reader;
        reads.ShouldBeGreaterThan(0);
        failures.ShouldBeEmpty();
    }
}
