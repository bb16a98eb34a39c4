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
        text.Stdout.ShouldContain($"1. Apply them: `alembic -c {Shown(Scripts)} upgrade head`", customMessage: "from where the user stands, the ini is elsewhere: -c names it");
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
        result.Stdout.ShouldContain($"Create the schema: `alembic -c {Shown(Scripts)} upgrade head`");
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

    /// <summary>A copy of a fixture's scripts whose ini points at the scratch database, as a project's would: real alembic runs against it.</summary>
    private string ProjectFrom(string fixture)
    {
        var project = Path.Combine(_directory.Path, "project");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, "alembic", fixture), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(project, Path.GetRelativePath(Path.Combine(RepoPaths.Fixtures, "alembic", fixture), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var server = new Uri(TestServers.PostgresUrl);
        var ini = Path.Combine(project, "alembic.ini");
        var url = $"postgresql://postgres:{Uri.EscapeDataString(TestServers.PostgresPassword)}@127.0.0.1:{server.Port}/{_database}";
        File.WriteAllText(ini, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(ini), @"(?m)^sqlalchemy\.url = .*$", $"sqlalchemy.url = {url.Replace("%", "%%", StringComparison.Ordinal)}"));
        _directory.Write("tend.toml", File.ReadAllText(Path.Combine(_directory.Path, "tend.toml")).Replace(Scripts, ini, StringComparison.Ordinal));
        return project;
    }

    /// <summary>A path as a next step prints it from the test's directory: relative when that is shorter.</summary>
    private string Shown(string path)
    {
        var relative = Path.GetRelativePath(_directory.Path, path);
        return relative.Length < path.Length ? relative : path;
    }

    private static List<string> Steps(string output) => [.. output.Split('`').Where((_, i) => i % 2 == 1).Where(s => s.StartsWith("alembic ", StringComparison.Ordinal))];

    [Fact(Timeout = 120_000)]
    public async Task The_printed_upgrade_typed_where_the_user_stands_brings_a_fresh_database_up_to_date()
    {
        ProjectFrom("history");

        var before = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr");
        var upgrade = Steps(before.Stdout).Single(s => s.EndsWith(" upgrade head", StringComparison.Ordinal));
        var typed = await TypedCommand.RunAsync(upgrade, _directory.Path);
        var after = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr", "--json");

        typed.ExitCode.ShouldBe(0, typed.Output);
        after.ExitCode.ShouldBe(0, after.ToString());
        var check = after.Json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "alembic");
        check.GetProperty("migrations").GetProperty("pending_count").GetInt32().ShouldBe(0);
        check.GetProperty("migrations").GetProperty("current").EnumerateArray().Select(e => e.GetString()).ShouldBe(check.GetProperty("migrations").GetProperty("heads").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact(Timeout = 120_000)]
    public async Task Two_heads_on_a_fresh_database_are_merged_first_with_the_printed_steps_and_then_the_check_passes()
    {
        ProjectFrom("two-heads");

        var before = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr");

        before.ExitCode.ShouldBe(1, before.ToString());
        before.Stdout.ShouldContain("unmerged heads");
        var steps = Steps(before.Stdout);
        var merge = steps.Single(s => s.Contains(" merge ", StringComparison.Ordinal));
        var upgrade = steps.First(s => s.EndsWith(" upgrade head", StringComparison.Ordinal));
        var plainUpgrade = await TypedCommand.RunAsync(upgrade, _directory.Path);
        plainUpgrade.Output.ShouldContain("Multiple head revisions", customMessage: "why the merge has to come first");

        var merged = await TypedCommand.RunAsync(merge, _directory.Path);
        merged.ExitCode.ShouldBe(0, merged.Output);
        var upgraded = await TypedCommand.RunAsync(upgrade, _directory.Path);
        upgraded.ExitCode.ShouldBe(0, upgraded.Output);

        var after = await TendBinary.RunAsync(_directory.Path, "preflight", "mgr");
        after.ExitCode.ShouldBe(0, after.ToString());
        after.Stdout.ShouldContain("up to date");
    }
}
