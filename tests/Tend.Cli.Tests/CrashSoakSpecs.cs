using System.Diagnostics;
using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Processes;

namespace Tend.Cli.Tests;

/// <summary>
/// 30 SIGKILLs of the daemon at random moments (starting, recovering, restarting a flapping
/// service, at rest): after each, the next up leaves one run a component and nothing of an
/// earlier daemon; after the last, down leaves nothing at all. Processes are found by the tag
/// every run carries, so one that left its group or session is counted too.
/// </summary>
public sealed class CrashSoakSpecs : IAsyncLifetime
{
    private const int Kills = 30;

    private const string Escaper = """
        import os, time
        for mode in ["pgid", "session", "daemon"]:
            if os.fork() == 0:
                if mode == "pgid":
                    os.setpgid(0, 0)
                else:
                    os.setsid()
                if mode == "daemon" and os.fork() > 0:
                    os._exit(0)
                time.sleep(600)
                os._exit(0)
        time.sleep(600)
        """;

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public CrashSoakSpecs() => _daemon = new DaemonState(_directory.Path);

    private string StackFile => Path.Combine(_directory.Path, "tend.toml");

    public ValueTask InitializeAsync()
    {
        _directory.Write("escaper.py", Escaper);
        _directory.Write("tend.toml", """
            [components.web]
            command = ["sh", "-c", "sleep 600 & sleep 600 & wait"]
            min_uptime = "0s"

            [components.escaper]
            command = ["python3", "escaper.py"]
            min_uptime = "0s"
            stop = { grace = "2s" }

            [components.flappy]
            command = ["sh", "-c", "sleep 0.1; exit 1"]
            min_uptime = "0s"
            restart = { backoff = "0s..0s", budget = "100000/1m" }

            [components.worker1]
            command = ["sleep", "600"]
            min_uptime = "0s"
            requires = ["web"]

            [components.worker2]
            command = ["sleep", "600"]
            min_uptime = "0s"
            requires = ["worker1"]
            """);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        foreach (var pid in Tagged().Select(t => t.Pid))
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    /// <summary>Every live process of this stack's runs, by the tag in its environment.</summary>
    private List<(int Pid, RunTag Tag)> Tagged() =>
    [
        .. System.IO.Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && DaemonState.IsAlive(pid))
            .Select(pid => (Pid: pid, Tag: RunTag.Read(pid)))
            .Where(p => p.Tag is not null && p.Tag.StackFile == StackFile)
            .Select(p => (p.Pid, p.Tag!)),
    ];

    [Fact(Timeout = 600_000)]
    public async Task Thirty_daemon_kills_at_random_moments_leave_no_duplicate_run_and_nothing_after_down()
    {
        var seed = Environment.GetEnvironmentVariable("TEND_SOAK_SEED") is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : Environment.TickCount;
        var random = new Random(seed);
        var context = $"seed {seed} (TEND_SOAK_SEED={seed} replays it)";
        var killed = new List<int>();

        for (var kill = 1; kill <= Kills; kill++)
        {
            if (kill % 3 == 1)
            {
                // A third of the kills land on a daemon starting from nothing: the lock, recovery, the first starts.
                await Tend("daemon", "stop");
            }

            using var up = TendBinary.Start(_directory.Path, null, "up");
            var moment = TimeSpan.FromMilliseconds(random.Next(0, 1500));
            var watch = Stopwatch.StartNew();
            int? daemon = null;
            while (daemon is null || watch.Elapsed < moment)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1, 20)), TimeProvider.System, TestContext.Current.CancellationToken);
                daemon = _daemon.ReadDaemonPid() is { } pid && !killed.Contains(pid) && DaemonState.IsAlive(pid) ? pid : null;
                watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"no daemon came up for kill {kill}; {context}");
            }

            Signals.Send(daemon.Value, Signals.SIGKILL).ShouldBeTrue();
            killed.Add(daemon.Value);
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
            {
                waiting.CancelAfter(TimeSpan.FromSeconds(60));
                await up.WaitForExitAsync(waiting.Token);
            }

            var recovered = await Tend("up");
            recovered.ExitCode.ShouldBe(0, $"kill {kill} after {moment.TotalMilliseconds} ms; {context}\n{recovered}");
            var current = _daemon.ReadDaemonPid().ShouldNotBeNull();
            var tagged = Tagged();
            tagged.Where(t => t.Tag.DaemonPid != current).ShouldBeEmpty($"processes of a killed daemon still live after kill {kill}; {context}");
            foreach (var component in tagged.GroupBy(t => t.Tag.Component))
            {
                component.Select(t => t.Tag.Run).Distinct().Count().ShouldBe(1, $"{component.Key} runs twice after kill {kill}: {string.Join(", ", component.Select(t => $"pid {t.Pid} run {t.Tag.Run}"))}; {context}");
            }
        }

        var down = await Tend("down");
        down.ExitCode.ShouldBe(0, down.ToString());
        Tagged().ShouldBeEmpty($"processes left after down; {context}");
    }
}
