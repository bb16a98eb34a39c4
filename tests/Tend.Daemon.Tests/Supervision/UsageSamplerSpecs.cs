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

        // Two more intervals: the first may still hold python's start and its 64 MiB of page
        // faults (21.9 % once on a loaded machine); the second is the family asleep.
        for (var interval = 0; interval < 2; interval++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, TestContext.Current.CancellationToken);
            sampler.Sample();
        }

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

    [Fact(Timeout = 60_000)]
    public async Task Processes_forked_after_the_sampler_learned_the_host_are_counted_at_once_and_a_new_run_is_measured_from_its_first_sample()
    {
        await using var fixture = new SupervisorFixture("""
            [components.grower]
            command = ["sh", "-c", "sleep 1.5; sleep 600 & sleep 600 & wait"]
            min_uptime = "0s"
            """);
        fixture.Supervisor.Up(["grower"]);
        await fixture.WaitForStateAsync("grower", ComponentState.Running);
        var sampler = new UsageSampler(fixture.Supervisor, TimeProvider.System);

        // Samples before the children exist: the host's other processes are learned and skipped after the first.
        sampler.Sample();
        sampler.Sample();
        fixture.Get("grower").Usage.ShouldNotBeNull().Processes.ShouldBeInRange(1, 2);

        var seen = 0;
        for (var tries = 0; tries < 100 && seen != 3; tries++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, TestContext.Current.CancellationToken);
            sampler.Sample();
            seen = fixture.Get("grower").Usage?.Processes ?? 0;
        }

        seen.ShouldBe(3, "the two children forked after the first samples are new PIDs: read, not skipped");

        var before = fixture.Get("grower").Pid;
        await fixture.Supervisor.RestartAsync("grower");
        await fixture.WaitForStateAsync("grower", ComponentState.Running);
        fixture.Get("grower").Pid.ShouldNotBe(before);
        sampler.Sample();
        fixture.Get("grower").Usage.ShouldNotBeNull().Processes.ShouldBeGreaterThanOrEqualTo(1, "the new run's leader is always read");
    }
}
