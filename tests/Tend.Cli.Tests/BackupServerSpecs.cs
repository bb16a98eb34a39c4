using System.Text.Json;
using StackExchange.Redis;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// Restores that stop the server: a redis-server and an etcd of the test's own (real binaries,
/// loopback ports, temp dirs), run as components under a real daemon with a component that
/// requires them; the shared servers of the test script are never stopped.
/// </summary>
public sealed class BackupServerSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private DaemonState? _daemon;

    public ValueTask InitializeAsync()
    {
        _daemon = new DaemonState(_directory.Path);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Tend("down");
        await _daemon!.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private void WriteStack(string server, string serverName)
    {
        File.WriteAllText(Path.Combine(_directory.Path, "tend.toml"), $$"""
            {{server}}

            [components.app]
            command = {{Dummy.TomlArgv("sleep", "600000")}}
            requires = { {{serverName}} = "healthy" }
            min_uptime = "0s"
            """);
    }

    private async Task<int?> AppPidAsync()
    {
        var status = await Tend("status", "--json");
        return status.Json.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "app").TryGetProperty("pid", out var pid) ? pid.GetInt32() : null;
    }

    private async Task<string> OnlyBackupAsync(string component)
    {
        var list = await Tend("backup", "--list", "--json", component);
        list.ExitCode.ShouldBe(0, list.ToString());
        return list.Json.EnumerateArray().ShouldHaveSingleItem().GetProperty("id").GetString()!;
    }

    [Fact(Timeout = 180_000)]
    public async Task A_redis_restore_stops_it_and_what_requires_it_puts_the_keys_back_and_starts_both_again()
    {
        var port = LocalServer.FreePort();
        var data = Directory.CreateDirectory(Path.Combine(_directory.Path, "redis")).FullName;
        WriteStack($$"""
            [components.cache]
            command = ["redis-server", "--port", "{{port}}", "--bind", "127.0.0.1", "--dir", "{{data}}", "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"]
            health = { redis = "127.0.0.1:{{port}}" }
            backup = [{ type = "redis", url = "redis://127.0.0.1:{{port}}" }]
            """, "cache");
        var up = await Tend("up");
        up.ExitCode.ShouldBe(0, up.ToString());
        var keys = Enumerable.Range(1, 200).ToDictionary(i => $"key:{i}", i => $"value {i}");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}"))
        {
            var db = redis.GetDatabase();
            foreach (var (key, value) in keys)
            {
                await db.StringSetAsync(key, value);
            }
        }

        var backup = await Tend("backup", "cache");
        backup.ExitCode.ShouldBe(0, backup.ToString());
        backup.Stdout.ShouldContain("RDB looks OK");
        var id = await OnlyBackupAsync("cache");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true"))
        {
            await redis.GetServer("127.0.0.1", port).FlushAllDatabasesAsync();
            await redis.GetDatabase().StringSetAsync("later", "written after the backup");
            // On disk too: a restore that left the server's own RDB in place would load this.
            await redis.GetDatabase().ExecuteAsync("SAVE");
        }

        var appBefore = await AppPidAsync();
        var restore = await Tend("restore", "cache", "--from", id, "--yes");

        restore.ExitCode.ShouldBe(0, restore.ToString());
        restore.Stdout.ShouldContain("stopping ");
        restore.Stdout.ShouldContain("starting ");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}"))
        {
            var db = redis.GetDatabase();
            var server = redis.GetServer("127.0.0.1", port);
            (await server.DatabaseSizeAsync()).ShouldBe(keys.Count);
            foreach (var (key, value) in keys)
            {
                (await db.StringGetAsync(key)).ToString().ShouldBe(value);
            }

            (await db.KeyExistsAsync("later")).ShouldBeFalse();
        }

        var appAfter = await AppPidAsync();
        appAfter.ShouldNotBeNull("what requires the cache runs again");
        appAfter.ShouldNotBe(appBefore);
    }

    [Fact(Timeout = 180_000)]
    public async Task An_etcd_restore_brings_back_its_keys_and_revision()
    {
        var client = LocalServer.FreePort();
        var peer = LocalServer.FreePort();
        var data = Path.Combine(_directory.Path, "etcd-data");
        var endpoint = $"http://127.0.0.1:{client}";
        WriteStack($$"""
            [components.kv]
            command = ["etcd", "--name", "default", "--data-dir", "{{data}}", "--listen-client-urls", "{{endpoint}}", "--advertise-client-urls", "{{endpoint}}", "--listen-peer-urls", "http://127.0.0.1:{{peer}}", "--initial-advertise-peer-urls", "http://127.0.0.1:{{peer}}", "--initial-cluster", "default=http://127.0.0.1:{{peer}}"]
            health = { etcd = "{{endpoint}}" }
            backup = [{ type = "etcd", endpoints = "{{endpoint}}", data_dir = "{{data}}" }]
            """, "kv");
        var up = await Tend("up");
        up.ExitCode.ShouldBe(0, up.ToString());
        for (var i = 1; i <= 20; i++)
        {
            await EtcdctlAsync(endpoint, "put", $"/config/{i}", $"value {i}");
        }

        var (revision, values) = await ReadAsync(endpoint);
        values.Count.ShouldBe(20);

        var backup = await Tend("backup", "kv");
        backup.ExitCode.ShouldBe(0, backup.ToString());
        backup.Stdout.ShouldContain($"revision {revision}");
        var id = await OnlyBackupAsync("kv");
        await EtcdctlAsync(endpoint, "del", "/config/", "--prefix");
        await EtcdctlAsync(endpoint, "put", "/config/later", "written after the backup");
        (await ReadAsync(endpoint)).Revision.ShouldBeGreaterThan(revision);

        var restore = await Tend("restore", "kv", "--from", id, "--yes");

        restore.ExitCode.ShouldBe(0, restore.ToString());
        var (restoredRevision, restoredValues) = await ReadAsync(endpoint);
        restoredRevision.ShouldBe(revision);
        restoredValues.ShouldBe(values);
        Directory.Exists(data + ".before-restore").ShouldBeTrue("the data it had is kept aside");
        (await AppPidAsync()).ShouldNotBeNull("what requires etcd runs again");
    }

    private async Task<string> EtcdctlAsync(string endpoint, params string[] args)
    {
        var run = await CapturedRun.RunAsync(["etcdctl", $"--endpoints={endpoint}", .. args], _directory.Path, new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }, TimeSpan.FromSeconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
        run.Succeeded.ShouldBeTrue(run.Output);
        return run.Output;
    }

    /// <summary>The store's revision and every key under /config/ with its value.</summary>
    private async Task<(long Revision, Dictionary<string, string> Values)> ReadAsync(string endpoint)
    {
        var output = await EtcdctlAsync(endpoint, "get", "/config/", "--prefix", "--write-out=json");
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                values[Decode(kv.GetProperty("key"))] = Decode(kv.GetProperty("value"));
            }
        }

        return (root.GetProperty("header").GetProperty("revision").GetInt64(), values);
    }

    private static string Decode(JsonElement base64) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetString()!));
}
