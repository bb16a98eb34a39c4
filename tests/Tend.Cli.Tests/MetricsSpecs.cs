using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// `tend metrics` and `tend metrics rules` as an operator meets them: a crash shows as a restart
/// with reason exit, the exposition and the rules pass Prometheus' own checker, and without a
/// daemon there are no numbers to pass off as live.
/// </summary>
public sealed class MetricsSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public MetricsSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task A_crash_shows_as_a_restart_with_reason_exit_and_the_exposition_and_the_rules_pass_promtool()
    {
        Promtool.Path();
        var port = LocalServer.FreePort();
        _directory.Write("tend.toml", $$"""
            [monitor]
            interval = "200ms"

            [[monitor.rule]]
            name = "busy"
            metric = "cpu_percent"
            above = 150
            average = "1m"
            components = ["crasher"]

            [components.web]
            command = {{Dummy.TomlArgv("http", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "200")}}
            health = { http = "http://127.0.0.1:{{port}}/", interval = "200ms" }

            [components.crasher]
            command = {{Dummy.TomlArgv("crash-after", "100")}}
            restart = { policy = "always", backoff = "0s" }
            """);

        // In the background: the crasher is never up, and up would wait for it.
        (await Tend("up", "-d")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "restart_scheduled"));
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_ready"));

        var metrics = await Tend("metrics");

        metrics.ExitCode.ShouldBe(0, metrics.ToString());
        var samples = Core.Tests.Metrics.ExpositionText.Samples(metrics.Stdout);
        long Restarts(string reason) => long.Parse(samples.Single(s => s.Name == "tend_component_restarts_total" && s["component"] == "crasher" && s["reason"] == reason).Value, System.Globalization.CultureInfo.InvariantCulture);
        Restarts("exit").ShouldBeGreaterThanOrEqualTo(1, metrics.Stdout);
        (Restarts("signal"), Restarts("liveness"), Restarts("manual"), Restarts("monitor")).ShouldBe((0, 0, 0, 0));
        samples.Single(s => s.Name == "tend_component_up" && s["component"] == "web").Value.ShouldBe("1");
        samples.Single(s => s.Name == "tend_component_health" && s["component"] == "web" && s["state"] == "passing").Value.ShouldBe("1");
        long.Parse(samples.Single(s => s.Name == "tend_probe_duration_seconds_count" && s["component"] == "web").Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        long.Parse(samples.Single(s => s.Name == "tend_events_total" && s["kind"] == "restart_scheduled").Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        var check = await Promtool.RunAsync(metrics.Stdout, "check", "metrics");
        (check.ExitCode, check.Output).ShouldBe((0, ""), "promtool check metrics prints nothing for a clean exposition");

        var rules = await Tend("metrics", "rules", "--out", "rules.yml");
        rules.ExitCode.ShouldBe(0, rules.ToString());
        rules.Stdout.ShouldContain("promtool check rules rules.yml");
        var checkRules = await Promtool.RunAsync("", "check", "rules", Path.Combine(_directory.Path, "rules.yml"));
        checkRules.ExitCode.ShouldBe(0, checkRules.Output);
        checkRules.Output.ShouldContain("SUCCESS");
        var yaml = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "rules.yml"), TestContext.Current.CancellationToken);
        yaml.ShouldContain("expr: \"rate(tend_component_cpu_seconds_total{component=\\\"crasher\\\"}[1m]) * 100 > 150\"", Case.Sensitive, "the stack's own rule, in YAML's double quotes");
        (await Tend("metrics", "rules")).Stdout.ShouldBe(yaml, "the same rules on stdout without --out");
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_daemon_tend_metrics_says_so_and_exits_1_while_the_rules_need_only_the_stack_file()
    {
        _directory.Write("tend.toml", $$"""
            [components.api]
            command = {{Dummy.TomlArgv("sleep", "600000")}}
            """);

        var metrics = await Tend("metrics");

        metrics.ExitCode.ShouldBe(1, metrics.ToString());
        metrics.Stdout.ShouldBeEmpty();
        metrics.Stderr.ShouldContain("no daemon runs for tend.toml");
        metrics.Stderr.ShouldContain("tend up");
        var rules = await Tend("metrics", "rules");
        rules.ExitCode.ShouldBe(0, rules.ToString());
        rules.Stdout.ShouldContain("groups:");
        _daemon.ReadDaemonPid().ShouldBeNull("writing the rules starts no daemon");
    }
}
