using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// An authentication failure's next step names the source of the password the check really
/// reads (the variable it read, the one it found unset, the URL in the stack file, or nothing
/// configured), never a variable it ignores; and done as printed, the check passes.
/// </summary>
public sealed class PasswordHintSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TendResult> Health(IReadOnlyDictionary<string, string?>? environment = null) =>
        TendBinary.RunAsync(_directory.Path, environment ?? new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["REDIS_PASSWORD"] = null }, "health");

    private void Stack(string health) => _directory.Write("tend.toml", $$"""
        [components.store]
        kind = "external"
        health = {{health}}
        """);

    [Fact(Timeout = 60_000)]
    public async Task Redis_without_any_password_configured_is_told_to_add_password_env_and_doing_it_passes()
    {
        var port = new Uri(TestServers.RedisUrl).Port;
        Stack($$"""{ redis = "127.0.0.1:{{port}}", timeout = "20s" }""");

        var failed = await Health();

        failed.ExitCode.ShouldBe(1, failed.ToString());
        failed.Stdout.ShouldContain("requires a password and none was given");
        failed.Stdout.ShouldNotContain("refused the password");
        failed.Stdout.ShouldContain("add `password_env = \"REDIS_PASSWORD\"` to the redis check in the stack file, then `export REDIS_PASSWORD=...`");

        // As printed: the option in the stack file, the variable exported.
        Stack($$"""{ redis = "127.0.0.1:{{port}}", password_env = "REDIS_PASSWORD", timeout = "20s" }""");
        var passed = await Health(new Dictionary<string, string?> { ["REDIS_PASSWORD"] = TestServers.RedisPassword });
        passed.ExitCode.ShouldBe(0, passed.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Redis_whose_password_variable_is_unset_is_told_to_export_that_variable()
    {
        var port = new Uri(TestServers.RedisUrl).Port;
        Stack($$"""{ redis = "127.0.0.1:{{port}}", password_env = "CACHE_SECRET", timeout = "20s" }""");

        var failed = await Health();

        failed.Stdout.ShouldContain("CACHE_SECRET is not set, and the check reads the password from it: `export CACHE_SECRET=...`");
        failed.Stdout.ShouldNotContain("REDIS_PASSWORD");
        (await Health(new Dictionary<string, string?> { ["CACHE_SECRET"] = TestServers.RedisPassword })).ExitCode.ShouldBe(0);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_password_in_the_postgres_url_is_to_be_fixed_there_not_in_PGPASSWORD()
    {
        var server = new Uri(TestServers.PostgresUrl);
        Stack($$"""{ postgres = "postgresql://postgres:not-the-password@127.0.0.1:{{server.Port}}/postgres", timeout = "20s" }""");

        var failed = await Health(new Dictionary<string, string?> { ["PGPASSWORD"] = TestServers.PostgresPassword });

        failed.ExitCode.ShouldBe(1, failed.ToString());
        failed.Stdout.ShouldContain($"Fix the password written in the check's target in the stack file (postgresql://postgres:****@127.0.0.1:{server.Port}/postgres)");
        failed.Stdout.ShouldNotContain("export PGPASSWORD");
        failed.ToString().ShouldNotContain("not-the-password");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_password_in_the_variable_the_check_reads_names_that_variable()
    {
        var server = new Uri(TestServers.PostgresUrl);
        Stack($$"""{ postgres = "postgresql://postgres@127.0.0.1:{{server.Port}}/postgres", password_env = "STORE_PASSWORD", timeout = "20s" }""");

        var failed = await Health(new Dictionary<string, string?> { ["STORE_PASSWORD"] = "wrong", ["PGPASSWORD"] = TestServers.PostgresPassword });

        failed.Stdout.ShouldContain("Put the right password in STORE_PASSWORD, the variable the check reads it from: `export STORE_PASSWORD=...`");
        failed.Stdout.ShouldNotContain("PGPASSWORD");
        (await Health(new Dictionary<string, string?> { ["STORE_PASSWORD"] = TestServers.PostgresPassword })).ExitCode.ShouldBe(0);
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_says_at_once_why_an_external_it_waits_for_fails_and_names_it_when_time_runs_out()
    {
        var server = new Uri(TestServers.PostgresUrl);
        _directory.Write("tend.toml", $$"""
            [components.store]
            kind = "external"
            health = { postgres = "postgresql://postgres:wrong@127.0.0.1:{{server.Port}}/postgres", timeout = "20s" }

            [components.api]
            command = ["sleep", "600"]
            requires = ["store"]
            """);
        try
        {
            var up = await TendBinary.RunAsync(_directory.Path, "up", "--timeout", "5s");

            up.ExitCode.ShouldBe(1, up.ToString());
            up.Stdout.ShouldContain("store runs outside Tend and fails its check: api waits for it");
            up.Stdout.ShouldContain("Fix the password written in the check's target in the stack file");
            up.Stdout.ShouldContain("not up after 5.0s: store, api");
            up.Stdout.ShouldContain("why: tend why store");
            up.Stdout.ShouldNotContain("COMPONENT");
            var why = await TendBinary.RunAsync(_directory.Path, "why", "store");
            why.ExitCode.ShouldBe(0, why.ToString());
            why.Stdout.ShouldContain("Fix the password written in the check's target in the stack file", customMessage: "an external is explained by its check");
            why.Stdout.ShouldNotContain("Read its output", customMessage: "an external has no output of Tend's");
        }
        finally
        {
            await TendBinary.RunAsync(_directory.Path, "daemon", "stop");
        }
    }
}
