using System.Diagnostics;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Daemon.Control;
using Tend.Daemon.Hosting;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision;
using Tend.Daemon.Tests.Support;

namespace Tend.Daemon.Tests.Hosting;

/// <summary>A daemon that finds the runs of a killed one still alive stops them, and only them.</summary>
public sealed class RecoverySpecs
{
    private static readonly DateTimeOffset Then = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 60_000)]
    public async Task Orphans_are_stopped_together_each_with_its_own_signal_and_grace()
    {
        var events = new RecordingEvents();
        using var first = StartOrphan();
        using var second = StartOrphan();
        using var third = StartOrphan();
        var previous = Previous(Recorded("a", first), Recorded("b", second), Recorded("c", third));
        var policies = new Dictionary<string, StopPolicy>
        {
            ["a"] = new("INT", 2, TimeSpan.FromSeconds(2)),
            ["b"] = new("TERM", 15, TimeSpan.FromSeconds(2)),
        };

        var watch = Stopwatch.StartNew();
        var stopped = await new Recovery(new ProcessGroupStopper(TimeProvider.System), events)
            .StopOrphansAsync(previous, name => policies.GetValueOrDefault(name, StopPolicy.Default with { Grace = TimeSpan.FromSeconds(2) }), TestContext.Current.CancellationToken);
        watch.Stop();

        stopped.ShouldBe(3);
        foreach (var orphan in new[] { first, second, third })
        {
            ProcStat.GroupMembers(orphan.Id).ShouldBeEmpty();
        }

        // Each ignored its signal for its 2 s grace and was then killed; one after another would take 6 s.
        var stops = events.All.Where(e => e.Kind == "orphan_stopped").ToList();
        stops.Count.ShouldBe(3);
        stops.ShouldAllBe(e => (string)e["signal"]! == "SIGKILL");
        stops.ShouldAllBe(e => (long)e["stop_ms"]! >= 1900);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_that_stops_on_its_components_signal_is_reported_with_that_signal()
    {
        var events = new RecordingEvents();
        using var orphan = StartProcess("trap 'exit 0' INT; trap '' TERM; echo ready; while :; do sleep 0.05; done");
        var previous = Previous(Recorded("api", orphan));

        await new Recovery(new ProcessGroupStopper(TimeProvider.System), events)
            .StopOrphansAsync(previous, _ => new StopPolicy("INT", 2, TimeSpan.FromSeconds(30)), TestContext.Current.CancellationToken);

        var stop = events.All.Where(e => e.Kind == "orphan_stopped").ShouldHaveSingleItem();
        stop["signal"].ShouldBe("SIGINT");
        ((long)stop["stop_ms"]!).ShouldBeLessThan(10_000);
        ProcStat.GroupMembers(orphan.Id).ShouldBeEmpty();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_recorded_pid_now_held_by_another_process_is_left_alone()
    {
        var events = new RecordingEvents();
        using var stranger = StartOrphan();
        // Recorded with another start time: the PID was reused by a process that is not the run.
        var recorded = Recorded("api", stranger) with { PidStartTicks = ProcStat.Read(stranger.Id)!.StartTicks - 1 };

        var stopped = await new Recovery(new ProcessGroupStopper(TimeProvider.System), events)
            .StopOrphansAsync(Previous(recorded), _ => StopPolicy.Default, TestContext.Current.CancellationToken);

        stopped.ShouldBe(0);
        stranger.Process.HasExited.ShouldBeFalse();
        events.All.ShouldNotContain(e => e.Kind == "orphan_stopped");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_group_whose_leader_is_a_zombie_nobody_reaped_is_still_stopped()
    {
        var events = new RecordingEvents();
        // The leader (the run) forks a member of its group and exits; its parent, standing in for the dead daemon, never reaps it.
        using var parent = Process.Start(new ProcessStartInfo("python3", ["-c", """
            import os, sys, time
            leader = os.fork()
            if leader == 0:
                os.setsid()
                member = os.fork()
                if member == 0:
                    time.sleep(600)
                    os._exit(0)
                print(os.getpid(), member, flush=True)
                os._exit(0)
            time.sleep(600)
            """]) { RedirectStandardOutput = true })!;
        try
        {
            var pids = (await parent.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken))!.Split(' ').Select(int.Parse).ToArray();
            var (leader, member) = (pids[0], pids[1]);
            await WaitUntilAsync(() => ProcStat.Read(leader)?.IsZombie == true);
            var recorded = new ComponentSnapshot("api", ComponentKind.Service, ComponentState.Running, null, Then, 1, leader, ProcStat.Read(leader)!.StartTicks, Then, 0, null, 0, null, null, null, null, null, null, null);

            var stopped = await new Recovery(new ProcessGroupStopper(TimeProvider.System), events)
                .StopOrphansAsync(Previous(recorded), _ => StopPolicy.Default, TestContext.Current.CancellationToken);

            stopped.ShouldBe(1);
            ProcStat.IsStillRunning(member, null).ShouldBeFalse();
            ProcStat.GroupMembers(leader).ShouldBeEmpty();
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Processes_tagged_with_the_stack_by_another_daemon_are_stopped_even_when_state_json_never_named_them()
    {
        var events = new RecordingEvents();
        var stackFile = $"/nowhere/{Guid.NewGuid():N}/tend.toml";
        var tag = new Dictionary<string, string> { ["TEND_STACK_FILE"] = stackFile, ["TEND_COMPONENT"] = "api", ["TEND_RUN"] = "3" };
        using var escaped = StartProcess("trap '' TERM INT; echo ready; while :; do sleep 0.05; done", new Dictionary<string, string>(tag) { ["TEND_DAEMON_PID"] = "999999" });
        // A `tend run` command carries the stack's variables but no daemon's: never a daemon's to stop.
        using var command = StartProcess("echo ready; while :; do sleep 0.05; done", tag);

        var stopped = await new Recovery(new ProcessGroupStopper(TimeProvider.System), events, stackFile)
            .StopOrphansAsync(previous: null, _ => StopPolicy.Default with { Grace = TimeSpan.FromMilliseconds(500) }, TestContext.Current.CancellationToken);

        // The shell, and the sleep it may be running at that moment: both carry the tag.
        stopped.ShouldBeGreaterThanOrEqualTo(1);
        ProcStat.GroupMembers(escaped.Id).ShouldBeEmpty();
        command.Process.HasExited.ShouldBeFalse();
        var stops = events.All.Where(e => e.Kind == "orphan_stopped").ToList();
        stops.ShouldContain(e => (long)e["pid"]! == escaped.Id);
        stops.ShouldAllBe(e => e.Component == "api" && (string)e["signal"]! == "SIGKILL" && (long)e["previous_pid"]! == 999999L);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        condition().ShouldBeTrue();
    }

    /// <summary>A service that ignores TERM and INT, in a process group of its own, as a run of the old daemon was.</summary>
    private static Orphan StartOrphan() => StartProcess("trap '' TERM INT; echo ready; while :; do sleep 0.05; done");

    private static Orphan StartProcess(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        // setsid execs in place (the child of .NET is no group leader), so the PID is the group's.
        var info = new ProcessStartInfo("setsid", ["sh", "-c", script]) { RedirectStandardOutput = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var orphan = new Orphan(Process.Start(info)!);
        // Its traps are in place once it says so.
        orphan.Process.StandardOutput.ReadLine().ShouldBe("ready");
        return orphan;
    }

    private static ComponentSnapshot Recorded(string name, Orphan orphan) =>
        new(name, ComponentKind.Service, ComponentState.Running, null, Then, 1, orphan.Id, ProcStat.Read(orphan.Id)!.StartTicks, Then, 0, null, 0, null, null, null, null, null, null, null);

    private static StackSnapshot Previous(params ComponentSnapshot[] components) =>
        new("test", "/nowhere/tend.toml", 1, 1, Then, Then, components);

    /// <summary>A process group this test started; whatever the test leaves of it is killed, by its group ID.</summary>
    private sealed class Orphan(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public int Id => Process.Id;

        public void Dispose()
        {
            // While any member lives, the group's ID cannot have been handed to anyone else.
            if (ProcStat.GroupMembers(Process.Id).Count > 0)
            {
                Core.Processes.Signals.SendToGroup(Process.Id, 9);
            }

            Process.Dispose();
        }
    }
}
