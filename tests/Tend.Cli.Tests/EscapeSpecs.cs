using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>Processes that leave their run's group (setpgid, setsid, a daemon that forks twice) are stopped with it, or named: never "nothing left" while they live.</summary>
public sealed class EscapeSpecs : IAsyncLifetime
{
    /// <summary>A service whose children leave its group three ways, each writing its pid to a file once it has.</summary>
    private const string Escaper = """
        import os, time
        def child(mode):
            if os.fork() == 0:
                if mode == "pgid":
                    os.setpgid(0, 0)
                else:
                    os.setsid()
                if mode == "daemon" and os.fork() > 0:
                    os._exit(0)
                with open(mode + ".tmp", "w") as f:
                    f.write(str(os.getpid()))
                os.rename(mode + ".tmp", mode + ".pid")
                time.sleep(600)
                os._exit(0)
        for mode in ["pgid", "session", "daemon"]:
            child(mode)
        print("ready", flush=True)
        time.sleep(600)
        """;

    private static readonly string[] Modes = ["pgid", "session", "daemon"];

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public EscapeSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync()
    {
        _directory.Write("escaper.py", Escaper);
        _directory.Write("tend.toml", """
            [components.app]
            command = ["python3", "escaper.py"]
            min_uptime = "0s"
            stop = { grace = "2s" }
            """);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        foreach (var pid in EscaperPids().Where(DaemonState.IsAlive))
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        _directory.Dispose();
    }

    private List<int> EscaperPids() =>
        [.. Modes.Select(m => Path.Combine(_directory.Path, m + ".pid")).Where(File.Exists).Select(p => int.Parse(File.ReadAllText(p), CultureInfo.InvariantCulture))];

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task Stop_ends_children_that_left_the_group_and_names_them()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => EscaperPids().Count == 3);
        var escapers = EscaperPids();

        var stop = await Tend("stop", "app");

        stop.ExitCode.ShouldBe(0, stop.ToString());
        escapers.ShouldAllBe(pid => !DaemonState.IsAlive(pid));
        var named = _daemon.ReadEvents().Where(e => e.GetProperty("event").GetString() == "escaped_stopped").ShouldHaveSingleItem();
        var processes = string.Join("\n", named.GetProperty("processes").EnumerateArray().Select(p => p.GetString()));
        escapers.ShouldAllBe(pid => processes.Contains($"pid {pid} ", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_new_daemon_ends_what_a_killed_one_left_however_far_it_went()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => EscaperPids().Count == 3);
        var escapers = EscaperPids();
        var daemon = _daemon.ReadDaemonPid().ShouldNotBeNull();
        Signals.Send(daemon, Signals.SIGKILL).ShouldBeTrue();
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(daemon));
        File.Delete(Path.Combine(_daemon.Directory, "state.json"));

        var up = await Tend("up");

        up.ExitCode.ShouldBe(0, up.ToString());
        escapers.ShouldAllBe(pid => !DaemonState.IsAlive(pid), "state.json was gone: only the tags could find them");
        var orphans = _daemon.ReadEvents().Where(e => e.GetProperty("event").GetString() == "orphan_stopped").Select(e => e.GetProperty("pid").GetInt32()).ToList();
        escapers.ShouldAllBe(pid => orphans.Contains(pid));
    }
}
