using System.Diagnostics;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>Pre-flight and health through the binary, against the real PostgreSQL, Redis and etcd.</summary>
public sealed class PreflightSpecs
{

    /// <summary>A Backend.AI-shaped stack over the test servers; <paramref name="redisPort"/> lets a test point Redis at a dead port.</summary>
    private static string BackendStack(string postgresPassword, int? redisPort = null)
    {
        var pg = new Uri(TestServers.PostgresUrl);
        var redis = new Uri(TestServers.RedisUrl);
        return $$"""
            [stack]
            name = "backend"

            [components.postgres]
            kind = "external"
            health = { postgres = "postgresql://postgres:{{postgresPassword}}@127.0.0.1:{{pg.Port}}/postgres" }

            [components.redis]
            kind = "external"
            health = { redis = "127.0.0.1:{{redisPort ?? redis.Port}}", password_env = "TEST_REDIS_PASSWORD" }

            [components.etcd]
            kind = "external"
            health = { etcd = "{{TestServers.EtcdUrl}}" }

            [components.mgr]
            kind = "service"
            description = "Manager"
            command = ["./backend.ai", "mgr", "start-server"]
            requires = { postgres = "healthy", redis = "healthy", etcd = "healthy" }
            config = { path = "manager.toml", sample = "configs/manager/sample.toml" }
            preflight = [{ port-free = {{LocalServer.FreePort()}} }]
            """;
    }

    private static Dictionary<string, string?> RedisPassword => new() { ["TEST_REDIS_PASSWORD"] = TestServers.RedisPassword };

    [Fact(Timeout = 60_000)]
    public async Task A_healthy_backend_stack_passes_every_check_in_well_under_a_second()
    {
        using var directory = new TempDirectory();
        directory.Write("tend.toml", BackendStack(TestServers.PostgresPassword));
        directory.Write("manager.toml", "[db]\nname = \"backend\"\n");

        var watch = Stopwatch.StartNew();
        var result = await TendBinary.RunAsync(directory.Path, RedisPassword, "preflight", "mgr");
        watch.Stop();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("✓ postgres: postgres 127.0.0.1:");
        result.Stdout.ShouldContain("✓ redis: redis 127.0.0.1:");
        result.Stdout.ShouldContain("✓ etcd: etcd 127.0.0.1:");
        result.Stdout.ShouldContain("✓ 6 passed");
        // Typically 0.1-0.3 s; the bound leaves room for a loaded CI machine and still catches a run that hangs.
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8), "the whole run, process start included");
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_failure_says_what_was_seen_why_and_what_to_type()
    {
        using var directory = new TempDirectory();
        var deadRedis = LocalServer.FreePort();
        directory.Write("tend.toml", BackendStack("wrong-password", deadRedis));
        directory.Write("configs/manager/sample.toml", "[db]\n");

        var text = await TendBinary.RunAsync(directory.Path, RedisPassword, "preflight", "mgr");
        var json = await TendBinary.RunAsync(directory.Path, RedisPassword, "preflight", "mgr", "--json");

        text.ExitCode.ShouldBe(1, text.ToString());
        text.Stdout.ShouldContain("✗ postgres: postgres 127.0.0.1:");
        text.Stdout.ShouldContain("password authentication failed for user postgres");
        text.Stdout.ShouldMatch($@"✗ redis: redis 127\.0\.0\.1:{deadRedis} +connection refused to 127\.0\.0\.1:{deadRedis}");
        text.Stdout.ShouldContain($"2. Check it answers: `redis-cli -h 127.0.0.1 -p {deadRedis} ping`");
        text.Stdout.ShouldContain("1. Copy the sample: `cp configs/manager/sample.toml manager.toml`");
        text.Stdout.ShouldContain("✓ etcd");

        json.ExitCode.ShouldBe(1);
        json.Json.GetProperty("status").GetString().ShouldBe("fail");
        var checks = json.Json.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        checks["postgres.health"].GetProperty("error").GetString().ShouldBe("auth_failed");
        checks["postgres.health"].GetProperty("diagnosis").GetProperty("rule").GetString().ShouldBe("postgres-auth");
        checks["redis.health"].GetProperty("error").GetString().ShouldBe("refused");
        checks["mgr.config"].GetProperty("error").GetString().ShouldBe("missing_with_sample");
        checks["etcd.health"].GetProperty("status").GetString().ShouldBe("pass");
        json.Json.GetProperty("counts").GetProperty("fail").GetInt32().ShouldBe(3);
    }

    [Fact(Timeout = 60_000)]
    public async Task Health_is_green_yellow_or_red_and_can_be_saved()
    {
        using var directory = new TempDirectory();
        directory.Write("tend.toml", BackendStack(TestServers.PostgresPassword, LocalServer.FreePort()));

        var result = await TendBinary.RunAsync(directory.Path, RedisPassword, "health", "--save", "reports/health.json");
        Directory.CreateDirectory(Path.Combine(directory.Path, "reports"));
        var saved = await TendBinary.RunAsync(directory.Path, RedisPassword, "health", "--save", "reports/health.json");

        result.ExitCode.ShouldBe(2, "the reports directory does not exist yet");
        result.Stderr.ShouldContain("cannot save the report to reports/health.json");
        saved.ExitCode.ShouldBe(1, saved.ToString());
        saved.Stdout.ShouldContain("● postgres  green");
        saved.Stdout.ShouldContain("● redis     red");
        saved.Stdout.ShouldContain("● mgr       unknown   no health probe");
        saved.Stdout.ShouldContain("overall red");
        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.Path, "reports", "health.json"))).RootElement;
        report.GetProperty("overall").GetString().ShouldBe("red");
        report.GetProperty("components")[0].GetProperty("health").GetString().ShouldBe("green");
        Directory.GetFiles(Path.Combine(directory.Path, "reports")).ShouldBe([Path.Combine(directory.Path, "reports", "health.json")]);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_quickstart_explains_that_the_store_is_down_and_the_config_must_be_copied()
    {
        using var directory = new TempDirectory();
        await TendBinary.RunAsync(directory.Path, "init", "--preset", "quickstart");

        var result = await TendBinary.RunAsync(directory.Path, new Dictionary<string, string?> { ["STORE_PORT"] = LocalServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) }, "preflight", "web");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldContain("cause: The store is not running.");
        result.Stdout.ShouldContain("1. Start it in another terminal: `tend run store serve`");
        result.Stdout.ShouldContain("1. Copy the sample: `cp config/web.sample.toml config/web.toml`");
        result.Stdout.ShouldContain("Next: follow the numbered actions above, then run tend preflight web again");
    }
}
