using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Processes;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// Stops where each run has a cgroup of its own (root, or a delegated subtree): processes that
/// left the run's session and keep forking end with it, and no cgroup is left behind; without
/// cgroups, what the process groups and run tags can and cannot reach. Under CI=true a machine
/// without a writable cgroup v2 fails these specs rather than skipping them.
/// </summary>
public sealed class CgroupStopSpecs : IAsyncLifetime
{
    /// <summary>Two generations of two: 7 nodes, each in a session of its own, and a respawner per child that forks a new one every half second.</summary>
    private const int Nodes = 7;

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private readonly List<int> _strays = [];

    public CgroupStopSpecs() => _daemon = new DaemonState(_directory.Path);

    private string StackFile => Path.Combine(_directory.Path, "tend.toml");

    private string PidFile => Path.Combine(_directory.Path, "pids");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        foreach (var pid in BombPids().Concat(_strays).Where(DaemonState.IsAlive))
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private void WriteStack(bool cgroups, string command) => _directory.Write("tend.toml", $$"""
        [stack]
        cgroups = {{(cgroups ? "true" : "false")}}

        [components.bomb]
        command = {{command}}
        min_uptime = "0s"
        stop = { grace = "1s" }
        """);

    private List<int> BombPids() =>
        File.Exists(PidFile) ? [.. File.ReadAllLines(PidFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))] : [];

    /// <summary>Live processes (zombies aside) that carry a run tag of this stack, wherever they went.</summary>
    private List<TaggedProcess> Tagged() => [.. TaggedProcesses.Find(t => t.StackFile == StackFile, 0)];

    /// <summary>The stack's cgroup, from status; a machine without usable cgroups skips the spec, or fails it under CI.</summary>
    private async Task<string> RequireCgroupAsync()
    {
        var stops = (await Tend("status", "--json")).Json.GetProperty("stops");
        if (stops.GetProperty("mode").GetString() == "cgroup")
        {
            return stops.GetProperty("path").GetString()!;
        }

        var message = $"no cgroups here: {stops.GetProperty("reason").GetString()}";
        if (TestServers.UnderCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return "";
    }

    [Fact(Timeout = 120_000)]
    public async Task A_service_whose_processes_leave_their_session_and_keep_forking_leaves_nothing_after_down()
    {
        WriteStack(cgroups: true, Dummy.TomlArgv("fork-bomb", "2", "2", PidFile, "--ignore-term", "--every-ms", "500"));
        (await Tend("up")).ExitCode.ShouldBe(0);
        var cgroup = await RequireCgroupAsync();
        await DaemonState.WaitUntilAsync(() => BombPids().Count >= Nodes);
        (await Tend("status")).Stdout.ShouldContain($"stops: cgroup {cgroup}");
        Directory.GetDirectories(cgroup).ShouldHaveSingleItem().ShouldEndWith("bomb.1");

        var down = await Tend("down");

        down.ExitCode.ShouldBe(0, down.ToString());
        Tagged().ShouldBeEmpty("every process of the run, in whatever session, ended with its cgroup");
        BombPids().Where(DaemonState.IsAlive).ShouldBeEmpty();
        Directory.GetDirectories(cgroup).ShouldBeEmpty("the run's cgroup is removed once it is empty");
        var escaped = _daemon.ReadEvents().Where(e => e.GetProperty("event").GetString() == "escaped_stopped").ShouldHaveSingleItem();
        escaped.GetProperty("processes").GetArrayLength().ShouldBeGreaterThanOrEqualTo(Nodes);

        (await Tend("daemon", "stop")).ExitCode.ShouldBe(0);
        Directory.Exists(cgroup).ShouldBeFalse("the stack's cgroup goes with its daemon");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_process_that_left_the_session_and_cleared_its_environment_is_stopped_with_cgroups_and_out_of_reach_without()
    {
        // setsid, and an environment without the run's tag: only the cgroup still knows it is the run's ($$ is a literal $ in a stack file).
        var hidden = Path.Combine(_directory.Path, "hidden");
        var command = $"""["sh", "-c", "setsid env -i sh -c 'echo $$$$ > {hidden}; exec sleep 600' & exec sleep 600"]""";
        WriteStack(cgroups: true, command);
        (await Tend("up")).ExitCode.ShouldBe(0);
        await RequireCgroupAsync();
        await DaemonState.WaitUntilAsync(() => File.Exists(hidden) && File.ReadAllText(hidden).EndsWith('\n'));
        var withCgroups = int.Parse(File.ReadAllText(hidden).Trim(), CultureInfo.InvariantCulture);
        _strays.Add(withCgroups);

        (await Tend("down")).ExitCode.ShouldBe(0);

        DaemonState.IsAlive(withCgroups).ShouldBeFalse();

        File.Delete(hidden);
        (await Tend("daemon", "stop")).ExitCode.ShouldBe(0);
        WriteStack(cgroups: false, command);
        (await Tend("up")).ExitCode.ShouldBe(0);
        (await Tend("status")).Stdout.ShouldContain("stops: process group + /proc scan (cgroups = false in the stack file)");
        await DaemonState.WaitUntilAsync(() => File.Exists(hidden) && File.ReadAllText(hidden).EndsWith('\n'));
        var withoutCgroups = int.Parse(File.ReadAllText(hidden).Trim(), CultureInfo.InvariantCulture);
        _strays.Add(withoutCgroups);

        (await Tend("down")).ExitCode.ShouldBe(0);

        DaemonState.IsAlive(withoutCgroups).ShouldBeTrue("without cgroups nothing tells tend this process is the run's: the README says so");
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_cgroups_a_service_that_keeps_forking_into_new_sessions_is_found_by_its_tags_sweep_after_sweep()
    {
        // One node forking a new process into a new session every 0.2 s, through the grace too: those are in no list yet when the KILL goes out.
        WriteStack(cgroups: false, Dummy.TomlArgv("fork-bomb", "1", "1", PidFile, "--ignore-term", "--every-ms", "200"));
        (await Tend("up")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => BombPids().Count >= 3);
        (await Tend("status", "--json")).Json.GetProperty("stops").GetProperty("mode").GetString().ShouldBe("process_group");

        var down = await Tend("down");

        down.ExitCode.ShouldBe(0, down.ToString());
        Tagged().ShouldBeEmpty("each sweep finds what the last one's victims respawned, until none is left");
        BombPids().Where(DaemonState.IsAlive).ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_new_daemon_kills_the_run_cgroups_a_killed_one_left_and_removes_them()
    {
        WriteStack(cgroups: true, Dummy.TomlArgv("fork-bomb", "1", "3", PidFile));
        (await Tend("up")).ExitCode.ShouldBe(0);
        var cgroup = await RequireCgroupAsync();
        await DaemonState.WaitUntilAsync(() => BombPids().Count >= 4);
        var daemon = _daemon.ReadDaemonPid().ShouldNotBeNull();
        Signals.Send(daemon, Signals.SIGKILL).ShouldBeTrue();
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(daemon));
        var left = Path.Combine(cgroup, "bomb.1");
        File.ReadAllText(Path.Combine(left, "cgroup.events")).ShouldContain("populated 1", customMessage: "the parent-death signal reached the leader only");
        var before = BombPids();

        var up = await Tend("up");

        up.ExitCode.ShouldBe(0, up.ToString());
        Directory.Exists(left).ShouldBeFalse();
        before.Where(DaemonState.IsAlive).ShouldBeEmpty();
        var orphans = _daemon.ReadEvents().Where(e => e.GetProperty("event").GetString() == "orphan_stopped").Select(e => e.GetProperty("pid").GetInt32()).ToList();
        before.ShouldAllBe(pid => orphans.Contains(pid), "each node still in the cgroup is named");
        Directory.GetDirectories(cgroup).ShouldHaveSingleItem().ShouldEndWith("bomb.2");
    }
}
