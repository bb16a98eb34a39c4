using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend doctor`: one report of what is wrong, the root first with what it holds back, and "nothing is wrong" only when nothing is.</summary>
public sealed class DoctorSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public DoctorSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private static string Services(string databaseUrl) => $$"""
        [components.db]
        kind = "external"
        health = { postgres = "{{databaseUrl}}", timeout = "20s" }

        [components.api]
        command = ["sleep", "600"]
        requires = { db = "healthy" }

        [components.worker]
        command = ["sleep", "600"]
        requires = { db = "healthy" }

        [components.web]
        command = ["sleep", "600"]
        requires = { api = "started" }
        """;

    [Fact(Timeout = 120_000)]
    public async Task A_database_that_is_down_is_said_once_at_the_root_with_the_services_it_holds_back_and_a_next_step_that_works()
    {
        var port = LocalServer.FreePort();
        _directory.Write("tend.toml", Services($"postgresql://postgres@127.0.0.1:{port}/app"));

        var doctor = await Tend("doctor");

        doctor.ExitCode.ShouldBe(1, doctor.ToString());
        var text = doctor.Stdout;
        text.ShouldContain("✗ db (external)");
        text.ShouldContain("holds back 3:");
        text.ShouldContain("↳ api: requires it healthy");
        text.ShouldContain("↳ web: requires api started, which needs db");
        text.ShouldNotContain("✗ api", customMessage: "api has nothing wrong of its own: it is said under db");
        text.ShouldContain("Fix db first: 3 others wait on it; then tend doctor again");

        var step = text.Split('`').Where((_, i) => i % 2 == 1).Single(s => s.StartsWith("pg_isready ", StringComparison.Ordinal));
        step.ShouldBe($"pg_isready -h 127.0.0.1 -p {port}");
        var typed = await TypedCommand.RunAsync(step, _directory.Path);
        typed.Output.ShouldContain("no response", customMessage: "it runs as printed and shows that nothing answers there");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_database_that_refuses_the_password_is_the_root_and_the_json_says_the_same()
    {
        var server = new Uri(TestServers.PostgresUrl);
        _directory.Write("tend.toml", Services($"postgresql://postgres:wrong-{Guid.NewGuid():N}@127.0.0.1:{server.Port}/postgres"));

        var doctor = await Tend("doctor", "--json");

        doctor.ExitCode.ShouldBe(1, doctor.ToString());
        var json = doctor.Json;
        json.GetProperty("status").GetString().ShouldBe("fail");
        json.GetProperty("daemon").GetString().ShouldBe("not_running");
        var finding = json.GetProperty("findings").EnumerateArray().ShouldHaveSingleItem();
        finding.GetProperty("component").GetString().ShouldBe("db");
        var symptom = finding.GetProperty("symptoms").EnumerateArray().ShouldHaveSingleItem();
        symptom.GetProperty("source").GetString().ShouldBe("health");
        symptom.GetProperty("diagnosis").GetProperty("cause").GetString()!.ShouldContain("password");
        finding.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("component").GetString()).ShouldBe(["api", "worker", "web"], ignoreOrder: true);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_stack_whose_database_answers_has_nothing_wrong_and_says_how_to_start_it()
    {
        _directory.Write("tend.toml", Services(TestServers.PostgresUrl));

        var doctor = await Tend("doctor");

        doctor.ExitCode.ShouldBe(0, doctor.ToString());
        doctor.Stdout.ShouldContain("✓ Nothing is wrong (the stack is not running: tend up starts it)");
    }

    [Fact(Timeout = 120_000)]
    public async Task With_the_stack_up_a_crash_loop_is_explained_from_its_output_and_a_healthy_service_is_not_checked_against_its_own_port()
    {
        var port = LocalServer.FreePort();
        _directory.Write("tend.toml", $$"""
            [components.web]
            command = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "{{port}}"]
            health = { http = "http://127.0.0.1:{{port}}/", interval = "200ms" }
            preflight = [{ port-free = "127.0.0.1:{{port}}" }]

            [components.crashy]
            command = ["sh", "-c", "test -f fixed && exec sleep 600; echo 'Error: cannot open /nonexistent/app.db' >&2; exit 3"]
            restart = { policy = "always", backoff = "0s", budget = "2/1m" }
            """);
        (await Tend("up", "--timeout", "20s")).ExitCode.ShouldBe(1);
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "crash_loop"));
        // up ended at crashy's crash loop: web may not answer yet on a loaded machine.
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_ready" && e.TryGetProperty("component", out var c) && c.GetString() == "web"));

        var doctor = await Tend("doctor");

        doctor.ExitCode.ShouldBe(1, doctor.ToString());
        doctor.Stdout.ShouldContain("the daemon runs 1 process");
        doctor.Stdout.ShouldContain("✗ crashy (service)");
        doctor.Stdout.ShouldContain("output: Error: cannot open /nonexistent/app.db");
        doctor.Stdout.ShouldContain("next: fix the cause above, then tend start crashy");
        doctor.Stdout.ShouldNotContain("web (service)", customMessage: "web runs and answers: its port is in use by itself, not a fault");

        _directory.Write("fixed", "");
        var next = doctor.Stdout.Split('\n').Single(l => l.Contains("next: fix the cause above, then ", StringComparison.Ordinal));
        var typed = next[(next.IndexOf("then ", StringComparison.Ordinal) + 5)..].Split("   ")[0];
        typed.ShouldBe("tend start crashy");
        (await Tend([.. typed.Split(' ').Skip(1), "--timeout", "20s"])).ExitCode.ShouldBe(0);
        var after = await Tend("doctor");
        after.ExitCode.ShouldBe(0, after.ToString());
        after.Stdout.ShouldContain("✓ Nothing is wrong");
        (await Tend("down")).ExitCode.ShouldBe(0);
    }
}
