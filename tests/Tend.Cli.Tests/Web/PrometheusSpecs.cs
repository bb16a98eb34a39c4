using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests.Web;

/// <summary>
/// A real Prometheus (Debian's) scraping the daemon's /metrics: the target is up, and a crash
/// shows as an increase of the restart counter, as an alerting rule would see it.
/// </summary>
public sealed class PrometheusSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private readonly int _port = LocalServer.FreePort();
    private readonly int _prometheusPort = LocalServer.FreePort();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _prometheus;

    public PrometheusSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_prometheus is { HasExited: false } prometheus)
        {
            // Ours, by its PID.
            prometheus.Kill();
            await prometheus.WaitForExitAsync(CancellationToken.None);
        }

        _prometheus?.Dispose();
        _http.Dispose();
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Executable()
    {
        const string path = "/usr/bin/prometheus";
        if (!File.Exists(path))
        {
            var message = $"Prometheus is not installed at {path}: scripts/test.sh installs Debian's prometheus package";
            if (TestServers.UnderCi)
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return path;
    }

    [Fact(Timeout = 120_000)]
    public async Task Prometheus_scrapes_the_daemon_and_sees_a_crash_as_a_restart()
    {
        var prometheus = Executable();
        _directory.Write("tend.toml", $$"""
            [components.web]
            command = {{Dummy.TomlArgv("sleep", "600000")}}
            restart = { policy = "always", backoff = "0s" }
            """);
        var up = await TendBinary.RunAsync(_directory.Path, "up", "--http", $"127.0.0.1:{_port}");
        up.ExitCode.ShouldBe(0, up.ToString());

        _directory.Write("prometheus.yml", $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: tend
                static_configs:
                  - targets: ["127.0.0.1:{{_port}}"]
            """);
        var start = new ProcessStartInfo(prometheus)
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[$"--config.file={Path.Combine(_directory.Path, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(_directory.Path, "tsdb")}", $"--web.listen-address=127.0.0.1:{_prometheusPort}"])
        {
            start.ArgumentList.Add(arg);
        }

        _prometheus = Process.Start(start)!;
        _prometheus.BeginErrorReadLine();
        _prometheus.BeginOutputReadLine();

        await WaitForAsync("up{job=\"tend\"}", v => v == 1);

        var status = await TendBinary.RunAsync(_directory.Path, "status", "--json");
        var pid = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("components")[0].GetProperty("pid").GetInt32();
        Signals.Send(pid, Signals.SIGKILL).ShouldBeTrue();

        await WaitForAsync("sum(increase(tend_component_restarts_total{component=\"web\"}[1m]))", v => v >= 1);
    }

    /// <summary>Asks Prometheus's query API until the query's first value satisfies <paramref name="holds"/>.</summary>
    private async Task WaitForAsync(string query, Func<double, bool> holds)
    {
        var last = "no answer";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var text = await _http.GetStringAsync($"http://127.0.0.1:{_prometheusPort}/api/v1/query?query={Uri.EscapeDataString(query)}", TestContext.Current.CancellationToken);
                var answer = JsonDocument.Parse(text).RootElement;
                last = answer.ToString();
                var result = answer.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0 && holds(double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{query} did not hold within 60 s; last answer: {last}");
    }
}
