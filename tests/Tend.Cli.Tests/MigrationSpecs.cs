using Npgsql;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>The alembic pre-flight through the binary, against a scratch database on the real PostgreSQL.</summary>
public sealed class MigrationSpecs : IAsyncLifetime
{
    private readonly string _database = $"tend_e2e_{Guid.NewGuid():N}";
    private readonly TempDirectory _directory = new();

    private static string Scripts => Path.Combine(RepoPaths.Fixtures, "alembic", "history", "alembic.ini");

    public async ValueTask InitializeAsync()
    {
        await ExecuteAsync(TestServers.PostgresUrl, $"CREATE DATABASE {_database}");
        var server = new Uri(TestServers.PostgresUrl);
        _directory.Write("tend.toml", $$"""
            [components.postgres]
            kind = "external"
            health = { postgres = "postgresql://postgres:{{TestServers.PostgresPassword}}@127.0.0.1:{{server.Port}}/{{_database}}" }

            [components.mgr]
            command = ["./backend.ai", "mgr", "start-server"]
            requires = { postgres = "healthy" }
            preflight = [{ alembic = "{{Scripts}}", database = "postgres", name = "database migrations" }]
            """);
    }

    public async ValueTask DisposeAsync()
    {
        _directory.Dispose();
        await ExecuteAsync(TestServers.PostgresUrl, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    [Fact(Timeout = 60_000)]
    public async Task Pending_migrations_are_listed_in_order_with_the_command_that_applies_them()
    {
        await SetVersionAsync("ec41d91b9018");

        var text = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr");
        var json = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr", "--json");

        text.ExitCode.ShouldBe(1, text.ToString());
        text.Stdout.ShouldContain("✗ mgr: database migrations");
        text.Stdout.ShouldContain("3 migrations pending: ");
        text.Stdout.ShouldContain("ecc2cdf67cbe");
        text.Stdout.ShouldContain("cause: The database is behind its migration scripts: 3 migration(s) are not applied");
        text.Stdout.ShouldContain("1. Apply them: `alembic upgrade head`");
        var check = json.Json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "alembic");
        check.GetProperty("error").GetString().ShouldBe("pending");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_database_at_head_passes()
    {
        await SetVersionAsync("ecc2cdf67cbe");

        var result = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("✓ mgr: database migrations");
        result.Stdout.ShouldContain("up to date");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_fresh_database_has_no_version_table()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldContain("no alembic_version table");
        result.Stdout.ShouldContain("Create the schema: `alembic upgrade head`");
    }

    private Task SetVersionAsync(string revision)
    {
        var url = new NpgsqlConnectionStringBuilder(ToConnectionString(TestServers.PostgresUrl)) { Database = _database }.ConnectionString;
        return ExecuteRawAsync(url, $"CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('{revision}')");
    }

    private static Task ExecuteAsync(string url, string sql) => ExecuteRawAsync(ToConnectionString(url), sql);

    private static async Task ExecuteRawAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static string ToConnectionString(string url)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':');
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user[1]),
            Database = uri.AbsolutePath.Trim('/'),
            Pooling = false,
        }.ConnectionString;
    }
}
