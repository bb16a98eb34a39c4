using Npgsql;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// tend backup and tend restore against the real PostgreSQL the test script starts (a database of
/// each test's own), files on disk, a stub pg_dump that gets killed, and a real small tmpfs.
/// </summary>
public sealed class BackupSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly string _database = $"tend_backup_{Guid.NewGuid():N}";
    private bool _created;

    private string StackFile => Path.Combine(_directory.Path, "tend.toml");

    private string Backups => Path.Combine(_directory.Path, ".tend", "backups");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_created)
        {
            await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }

        _directory.Dispose();
    }

    private static Dictionary<string, string?> PasswordEnvironment() => new() { ["BACKUP_PG_PASSWORD"] = TestServers.PostgresPassword };

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, PasswordEnvironment(), args);

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static string ConnectionString(string database)
    {
        var url = new Uri(TestServers.PostgresUrl);
        return new NpgsqlConnectionStringBuilder { Host = url.Host, Port = url.Port, Username = "postgres", Password = TestServers.PostgresPassword, Database = database, Pooling = false }.ConnectionString;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(_database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(_database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A database of this test's own, with <paramref name="rows"/> rows in table t, and a stack that backs it up.</summary>
    private async Task StackWithDatabaseAsync(int rows, string stackSection = "")
    {
        var url = new Uri(TestServers.PostgresUrl);
        await AdminAsync($"CREATE DATABASE {_database}");
        _created = true;
        await ExecuteAsync($"CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, {rows}) g");
        File.WriteAllText(StackFile, $$"""
            [stack]
            {{stackSection}}

            [components.db]
            kind = "external"
            health = { postgres = "postgresql://postgres@{{url.Host}}:{{url.Port}}/{{_database}}", password_env = "BACKUP_PG_PASSWORD" }
            backup = [{ type = "postgres", url = "postgresql://postgres@{{url.Host}}:{{url.Port}}/{{_database}}", password_env = "BACKUP_PG_PASSWORD" }]
            """);
    }

    private async Task<List<string>> BackupIdsAsync(string component)
    {
        var list = await Tend("backup", "--list", "--json", component);
        list.ExitCode.ShouldBe(0, list.ToString());
        return [.. list.Json.EnumerateArray().Select(b => b.GetProperty("id").GetString()!)];
    }

    private static List<string> FilesUnder(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFileSystemEntries(directory, "*", SearchOption.AllDirectories)] : [];

    [Fact(Timeout = 120_000)]
    public async Task A_postgres_backup_restores_the_rows_it_had()
    {
        await StackWithDatabaseAsync(rows: 1000);

        var backup = await Tend("backup", "db");
        backup.ExitCode.ShouldBe(0, backup.ToString());
        backup.Stdout.ShouldContain("postgres.dump");
        backup.Stdout.ShouldContain("config.tar");
        var id = (await BackupIdsAsync("db")).ShouldHaveSingleItem();
        File.Exists(Path.Combine(Backups, "db", id, "manifest.json")).ShouldBeTrue();

        await ExecuteAsync("DELETE FROM t WHERE id > 400; INSERT INTO t VALUES (5000, 'later')");
        (await ScalarAsync("SELECT count(*) FROM t")).ShouldBe(401);

        var refused = await Tend("restore", "db", "--from", id);
        refused.ExitCode.ShouldBe(2, "no terminal to confirm on, and no --yes");
        refused.Stderr.ShouldContain("--yes");
        (await ScalarAsync("SELECT count(*) FROM t")).ShouldBe(401);

        var restore = await Tend("restore", "db", "--from", id, "--yes");
        restore.ExitCode.ShouldBe(0, restore.ToString());
        (await ScalarAsync("SELECT count(*) FROM t")).ShouldBe(1000);
        (await ScalarAsync("SELECT count(*) FROM t WHERE id = 5000")).ShouldBe(0);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_corrupted_artifact_is_refused_by_its_checksum_and_nothing_is_changed()
    {
        await StackWithDatabaseAsync(rows: 300);
        (await Tend("backup", "db")).ExitCode.ShouldBe(0);
        var id = (await BackupIdsAsync("db")).ShouldHaveSingleItem();
        var dump = Path.Combine(Backups, "db", id, "postgres.dump");
        var bytes = File.ReadAllBytes(dump);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(dump, bytes);
        await ExecuteAsync("DELETE FROM t WHERE id > 100");

        var restore = await Tend("restore", "db", "--from", id, "--yes");

        restore.ExitCode.ShouldBe(1, restore.ToString());
        restore.Stderr.ShouldContain("corrupted: sha256 differs");
        restore.Stderr.ShouldContain("nothing was changed");
        (await ScalarAsync("SELECT count(*) FROM t")).ShouldBe(100);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_pg_dump_that_is_killed_leaves_no_backup_and_says_so()
    {
        await StackWithDatabaseAsync(rows: 10);
        var bin = Directory.CreateDirectory(Path.Combine(_directory.Path, "stub-bin")).FullName;
        var stub = Path.Combine(bin, "pg_dump");
        // Writes the start of a dump where it was told to, then dies as the OOM killer would kill it.
        File.WriteAllText(stub, """
            #!/bin/sh
            for a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; esac; done
            printf 'PGDMP half a dump' > "$f"
            kill -KILL $$
            """);
        File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = PasswordEnvironment();
        environment["PATH"] = $"{bin}:{System.Environment.GetEnvironmentVariable("PATH")}";

        var backup = await TendBinary.RunAsync(_directory.Path, environment, "backup", "db");

        backup.ExitCode.ShouldBe(1, backup.ToString());
        backup.Stderr.ShouldContain("pg_dump was killed by signal SIGKILL");
        backup.Stderr.ShouldContain("no backup was left behind");
        FilesUnder(Path.Combine(Backups, "db")).ShouldBeEmpty();
        (await BackupIdsAsync("db")).ShouldBeEmpty();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_backup_that_fills_the_disk_leaves_nothing_and_says_where_and_how_much_is_free()
    {
        using var disk = await TinyFilesystem.MountAsync(kibibytes: 1024);
        await StackWithDatabaseAsync(rows: 10, $"backups = \"{disk.Path}\"");
        // About 8 MB of hex from random numbers: some MB even compressed, on a 1 MB disk.
        await ExecuteAsync("CREATE TABLE big AS SELECT g AS id, md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) AS v FROM generate_series(1, 60000) g");

        var backup = await Tend("backup", "db");

        backup.ExitCode.ShouldBe(1, backup.ToString());
        backup.Stderr.ShouldContain("no space left on device on");
        backup.Stderr.ShouldContain(" free)");
        backup.Stderr.ShouldContain("no backup was left behind");
        FilesUnder(Path.Combine(disk.Path, "db")).ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task Keep_prunes_old_backups_only_once_a_newer_one_is_verified_and_files_restore_as_they_were()
    {
        _directory.Write("data/a.txt", "first");
        File.WriteAllText(StackFile, """
            [components.app]
            description = "files only"
            backup = { keep = 2, sources = [{ type = "files", paths = ["data"] }] }
            """);

        foreach (var content in (string[])["first", "second", "third"])
        {
            _directory.Write("data/a.txt", content);
            var backup = await Tend("backup", "app");
            backup.ExitCode.ShouldBe(0, backup.ToString());
        }

        var ids = await BackupIdsAsync("app");
        ids.Count.ShouldBe(2);
        Directory.GetDirectories(Path.Combine(Backups, "app")).Length.ShouldBe(2, "the oldest was deleted, not only hidden");

        // A backup that fails does not prune: the two good ones stay.
        Directory.Delete(Path.Combine(_directory.Path, "data"), recursive: true);
        var failed = await Tend("backup", "app");
        failed.ExitCode.ShouldBe(1, failed.ToString());
        (await BackupIdsAsync("app")).ShouldBe(ids);

        _directory.Write("data/a.txt", "changed");
        _directory.Write("data/new.txt", "made after the backup");
        var restore = await Tend("restore", "app", "--from", ids[0], "--yes");
        restore.ExitCode.ShouldBe(0, restore.ToString());
        File.ReadAllText(Path.Combine(_directory.Path, "data", "a.txt")).ShouldBe("second");
        File.Exists(Path.Combine(_directory.Path, "data", "new.txt")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_directory.Path, "data.before-restore", "new.txt")).ShouldBe("made after the backup");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_stack_config_backs_up_on_its_own_and_the_list_names_a_restore_to_type()
    {
        _directory.Write("app.env", "LEVEL=debug\n");
        _directory.Write("tend.lock", "[components.app]\nversion = \"1.0\"\n");
        _directory.Write("data/a.txt", "first");
        File.WriteAllText(StackFile, """
            [components.app]
            description = "files only"
            env_file = "app.env"
            backup = [{ type = "files", paths = ["data"] }]
            """);

        var config = await Tend("backup", "--config");
        config.ExitCode.ShouldBe(0, config.ToString());
        var configId = Directory.GetDirectories(Path.Combine(Backups, "_config")).Select(Path.GetFileName).Single()!;
        var entries = TarEntries(Path.Combine(Backups, "_config", configId, "config.tar"));
        entries.ShouldContain("tend.toml");
        entries.ShouldContain("tend.lock");
        entries.ShouldContain("app.env");

        (await Tend("backup", "app")).ExitCode.ShouldBe(0);
        var appId = (await BackupIdsAsync("app")).Single();
        var list = await Tend("backup", "--list");

        list.ExitCode.ShouldBe(0, list.ToString());
        // The next step is one to type as printed: a real component and id, never the stack config (it has no restore).
        list.Stdout.ShouldContain($"tend restore app --from {appId}");
        list.Stdout.ShouldNotContain("COMPONENT --from");
        var restore = await Tend("restore", "app", "--from", appId, "--yes");
        restore.ExitCode.ShouldBe(0, restore.ToString());
    }

    private static List<string> TarEntries(string path)
    {
        using var reader = new System.Formats.Tar.TarReader(File.OpenRead(path));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(Path.GetFileName(entry.Name.TrimEnd('/')));
        }

        return names;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_misspelt_source_type_or_key_is_a_config_error_at_its_line_with_a_suggestion()
    {
        File.WriteAllText(StackFile, """
            [components.app]
            description = "files only"
            backup = [
              { type = "postgress", url = "postgresql://postgres@127.0.0.1:5432/x" },
              { type = "files", pathz = ["data"] },
            ]
            """);

        var backup = await Tend("backup", "app");

        backup.ExitCode.ShouldBe(2, backup.ToString());
        backup.Stderr.ShouldContain("tend.toml:4:");
        backup.Stderr.ShouldContain("did you mean 'postgres'");
        backup.Stderr.ShouldContain("tend.toml:5:");
        backup.Stderr.ShouldContain("did you mean 'paths'");
        FilesUnder(Backups).ShouldBeEmpty();
    }
}
