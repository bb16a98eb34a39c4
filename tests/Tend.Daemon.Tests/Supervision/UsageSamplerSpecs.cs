using Tend.Core.Status;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>What each run uses, summed over all its processes, as `tend status` shows it: real processes, real /proc.</summary>
public sealed class UsageSamplerSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task Each_runs_CPU_memory_and_processes_are_summed_over_its_group_and_a_stopped_component_has_none()
    {
        await using var fixture = new SupervisorFixture("""
            [components.burner]
            command = ["sh", "-c", "while :; do :; done"]
            min_uptime = "0s"

            [components.family]
            command = ["sh", "-c", "sleep 600 & sleep 600 & python3 -c 'import time; x = bytearray(64 * 1024 * 1024); x[::4096] = bytes([1]) * 16384; time.sleep(600)' & wait"]
            min_uptime = "0s"

            [components.resting]
            command = ["sleep", "600"]
            """);
        fixture.Supervisor.Up(["burner", "family"]);
        await fixture.WaitForStateAsync("burner", ComponentState.Running);
        await fixture.WaitForStateAsync("family", ComponentState.Running);
        var sampler = new UsageSampler(fixture.Supervisor, TimeProvider.System);

        // The python child holds its 64 MiB once it has run its first line; the first sample of a run is its average since it started.
        ResourceUsage? seen = null;
        for (var tries = 0; tries < 200 && seen is not { Processes: 4, MemoryBytes: > 64L * 1024 * 1024 }; tries++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, TestContext.Current.CancellationToken);
            sampler.Sample();
            seen = fixture.Get("family").Usage;
        }

        seen.ShouldNotBeNull().Processes.ShouldBe(4, $"{seen}");
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, TestContext.Current.CancellationToken);
        sampler.Sample();

        var burner = fixture.Get("burner").Usage.ShouldNotBeNull();
        var family = fixture.Get("family").Usage.ShouldNotBeNull();
        TestContext.Current.TestOutputHelper?.WriteLine($"burner {burner}; family {family}");
        // A busy loop on a loaded two-core machine still gets a good share of a core; sleepers get next to none.
        burner.CpuPercent.ShouldBeGreaterThan(20);
        burner.Processes.ShouldBe(1);
        family.CpuPercent.ShouldBeLessThan(20);
        family.Processes.ShouldBe(4);
        family.MemoryBytes.ShouldBeGreaterThan(64L * 1024 * 1024);
        fixture.Get("resting").Usage.ShouldBeNull("nothing of it runs");

        await fixture.Supervisor.DownAsync(["burner"]);
        sampler.Sample();
        fixture.Get("burner").Usage.ShouldBeNull("its run is over");
    }
}
