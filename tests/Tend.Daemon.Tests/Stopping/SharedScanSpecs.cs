using System.Diagnostics;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Processes;

namespace Tend.Daemon.Tests.Stopping;

/// <summary>Without cgroups, every stop in progress learns who is left from one shared scan of /proc per tick, however many there are.</summary>
public sealed class SharedScanSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task Forty_groups_stopping_at_once_cost_one_scan_per_tick_not_one_per_stop_and_poll()
    {
        var scans = 0;
        var stopper = new ProcessGroupStopper(TimeProvider.System, new ProcScanner(TimeProvider.System, scanned: () => Interlocked.Increment(ref scans)));
        using var directory = new TempDirectory();
        using var launcher = new ProcessLauncher();
        // Each ignores TERM, so its group lives through the whole grace and every poll of every stop must look at /proc.
        var started = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => launcher.StartAsync(
            new LaunchRequest("sh", ["-c", "trap '' TERM; echo ready; exec sleep 600"], directory.Path, new Dictionary<string, string>()))));
        var processes = started.Select(s => ((LaunchOutcome.Started)s).Process).ToList();
        try
        {
            foreach (var process in processes)
            {
                (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken)).ShouldBe("ready");
            }

            var watch = Stopwatch.StartNew();
            var reports = await Task.WhenAll(processes.Select(p => stopper.StopAsync(p.Id, Signals.SIGTERM, TimeSpan.FromMilliseconds(500), cancellationToken: TestContext.Current.CancellationToken)));
            watch.Stop();

            reports.ShouldAllBe(r => r.Escalated);
            processes.ShouldAllBe(p => p.HasExited);
            // 40 stops polling every 2 to 100 ms for 0.5 s would scan some 400 times on their own.
            scans.ShouldBeGreaterThan(0);
            scans.ShouldBeLessThanOrEqualTo((int)(watch.Elapsed / ProcScanner.Tick) + 1, $"{scans} scans in {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            foreach (var process in processes)
            {
                Signals.SendToGroup(process.Id, Signals.SIGKILL);
                process.Dispose();
            }
        }
    }
}
