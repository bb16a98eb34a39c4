using System.Net;
using System.Net.Sockets;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend why` never explains by an exit code what Tend did itself.</summary>
public sealed class WhySpecs : IAsyncLifetime
{
    /// <summary>Answers 200 on /health until a file named "sick" appears beside it, then 503.</summary>
    private const string Server = """
        import http.server, os, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(503 if os.path.exists("sick") else 200)
                self.end_headers()
            def log_message(self, *a):
                pass
        print("serving", flush=True)
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """;

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public WhySpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact(Timeout = 120_000)]
    public async Task A_service_restarted_for_its_liveness_is_explained_by_its_probe_while_it_runs_again()
    {
        var port = FreePort();
        _directory.Write("server.py", Server);
        _directory.Write("tend.toml", $$"""
            [components.api]
            command = ["python3", "server.py", "{{port}}"]
            health = { http = "http://127.0.0.1:{{port}}/health", interval = "200ms", retries = 2 }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);

        _directory.Write("sick", "");
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_started" && e.GetProperty("run").GetInt32() == 2));
        File.Delete(Path.Combine(_directory.Path, "sick"));
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_ready" && e.GetProperty("run").GetInt32() == 2));

        var why = await Tend("why", "api");

        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain("Tend stopped the run itself, because its health probe failed 2 times in a row after passing");
        why.Stdout.ShouldNotContain("exited with 143");
        why.Stdout.ShouldNotContain("nothing is wrong");
        why.Stdout.ShouldContain("it runs again after the restart explained above");

        // The step as printed shows the run that was stopped, not the one running now.
        var logs = await Tend("logs", "api", "--run", "1", "-n", "50");
        why.Stdout.ShouldContain("`tend logs api --run 1 -n 50`");
        logs.ExitCode.ShouldBe(0, logs.ToString());
        logs.Stdout.ShouldContain("serving");
    }
}
