using System.Diagnostics;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>Sessions and waiting verbs through the binary: once-jobs across daemons, a stop that does not wait.</summary>
public sealed class SessionSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public SessionSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private int Count(string kind, string component) =>
        _daemon.ReadEvents().Count(e => e.GetProperty("event").GetString() == kind && e.GetProperty("component").GetString() == component);

    [Fact(Timeout = 120_000)]
    public async Task A_once_job_stays_completed_under_the_next_daemon_and_runs_again_after_its_edit()
    {
        string Stack(string extra = "") => $$"""
            [components.init]
            kind = "job"
            once = true
            command = {{Argv("exit", "0")}}
            {{extra}}
            [components.app]
            command = {{Argv("sleep", "600000")}}
            requires = { init = "completed" }
            """;
        _directory.Write("tend.toml", Stack());
        (await Tend("up")).ExitCode.ShouldBe(0);
        (await Tend("daemon", "stop")).ExitCode.ShouldBe(0);

        var again = await Tend("up");
        var why = await Tend("why", "init");
        _directory.Write("tend.toml", Stack("env = { INIT = \"2\" }"));
        var edited = await Tend("up");

        again.ExitCode.ShouldBe(0, again.ToString());
        why.Stdout.ShouldContain("(under a previous daemon; once = true)");
        edited.ExitCode.ShouldBe(0, edited.ToString());
        Count("job_completed", "init").ShouldBe(2, "once under each definition");
    }

    [Fact(Timeout = 120_000)]
    public async Task Stop_without_waiting_returns_at_once_and_the_stop_goes_on()
    {
        _directory.Write("tend.toml", $$"""
            [components.queue]
            command = {{Argv("ignore-term")}}
            stop = { grace = "3s" }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var log = Path.Combine(_daemon.Directory, "logs", "queue", "current.log");
        await DaemonState.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("ready", StringComparison.Ordinal));

        var watch = Stopwatch.StartNew();
        var stop = await Tend("stop", "queue", "--no-wait");
        watch.Stop();

        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("asked to stop queue");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3), "it did not wait out the 3 s grace");
        await DaemonState.WaitUntilAsync(() => Count("component_stopped", "queue") == 1);
        var status = await Tend("status", "--json");
        status.Json.GetProperty("components")[0].GetProperty("state").GetString().ShouldBe("stopped");
    }

    [Fact(Timeout = 120_000)]
    public async Task Status_json_carries_the_verdict_every_face_shows()
    {
        _directory.Write("tend.toml", $$"""
            [components.broken]
            command = {{Argv("exit", "78")}}
            """);
        (await Tend("up")).ExitCode.ShouldBe(1);

        var status = await Tend("status", "--json");

        var verdict = status.Json.GetProperty("components")[0].GetProperty("verdict");
        verdict.GetProperty("kind").GetString().ShouldBe("failed");
        verdict.GetProperty("reason").GetString()!.ShouldStartWith("exited with 78 (EX_CONFIG)");
    }
}
