using System.Net.Http;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Updates;

/// <summary>
/// A stack with one service whose version is a file: a Python HTTP server that reads `version`
/// at its start and behaves by its name. `bad…` answers 500, `crash…` answers 200 then exits 3
/// after CRASH_AFTER seconds, `dead…` never listens, anything else is healthy. The set command
/// writes the file; `current` reads it. Windows and probe intervals are short so that a test
/// takes seconds; the rules are the same at 60 s. The window is 8 s, not less: on a loaded CI
/// machine Python's start alone has taken over 1.5 s, which pushed a crash 2.5 s after it, or
/// the third passing check, past a 4 s window (both seen failing at stops 23 and 24). For the
/// same reason a start gets 5 s before failed checks count: a 2 s start period once gave up on
/// a healthy version that was still importing.
/// </summary>
public sealed class UpdateStack : IAsyncDisposable
{
    private const string App = """
        import http.server, os, sys, threading, time
        v = sys.argv[1] if len(sys.argv) > 1 else open('version').read().strip()
        port = int(os.environ['PORT'])
        print(f"app {v} starting on {port}", flush=True)
        if v.startswith('crash'):
            threading.Timer(float(os.environ.get('CRASH_AFTER', '2.5')), lambda: os._exit(3)).start()
        if v.startswith('dead'):
            time.sleep(1e9)
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(500 if v.startswith('bad') else 200)
                self.end_headers()
                self.wfile.write(v.encode())
            def log_message(self, *a):
                pass
        http.server.HTTPServer(('127.0.0.1', port), H).serve_forever()
        """;

    public TempDirectory Directory { get; } = new();

    public DaemonState Daemon { get; }

    public int Port { get; } = LocalServer.FreePort();

    public UpdateStack(string window = "8s", string set = "echo {version} > version", string stackExtra = "", string versions = "1.0\\n1.1\\n", string command = "[\"python3\", \"app.py\"]", string current = "[\"cat\", \"version\"]")
    {
        Daemon = new DaemonState(Directory.Path);
        Directory.Write("app.py", App);
        Directory.Write("version", "1.0\n");
        Directory.Write("tend.toml", $$"""
            {{stackExtra}}
            [components.web]
            command = {{command}}
            env = { PORT = "{{Port}}" }
            health = { http = "http://127.0.0.1:{{Port}}/", interval = "300ms", retries = 2, start_period = "5s" }
            update = { set = ["sh", "-c", "{{set}}"], current = {{current}}, versions = ["printf", "{{versions}}"], window = "{{window}}" }
            """);
    }

    public Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(Directory.Path, args);

    public string Version => File.ReadAllText(Path.Combine(Directory.Path, "version")).Trim();

    public string? Lock => File.Exists(Path.Combine(Directory.Path, "tend.lock")) ? File.ReadAllText(Path.Combine(Directory.Path, "tend.lock")) : null;

    public List<string> EventKinds(string prefix = "update_") =>
        [.. Daemon.ReadEvents().Select(e => e.GetProperty("event").GetString()!).Where(k => k.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>What the running version answers over HTTP.</summary>
    public async Task<string> ServedAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{Port}/"), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.StopDaemonAsync();
        Directory.Dispose();
    }
}
