using StackExchange.Redis;
using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Backup;

/// <summary>
/// BGSAVE, wait for LASTSAVE to move, copy the RDB file and check it with redis-check-rdb. A
/// restore puts the RDB where the server loads it from (CONFIG GET dir, dbfilename, asked while
/// it still runs) while it is stopped: Redis reads it only at start.
/// </summary>
public sealed class RedisArtifact : ArtifactKind
{
    public static readonly RedisArtifact Instance = new();

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public override async Task<Outcome<SavedArtifact>> SaveAsync(BackupSource source, string partialPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var redis = (RedisSource)source;
        var what = $"the Redis backup of {redis.Target} failed";
        if (tools.Missing("redis-check-rdb") is { } missing)
        {
            return missing;
        }

        string rdb;
        string version;
        try
        {
            await using var connection = await ConnectAsync(redis.Server, tools, cancellationToken);
            var server = connection.GetServer(redis.Server.Host, redis.Server.Port);
            version = $"Redis {server.Version}";
            rdb = redis.RdbPath ?? await RdbPathAsync(server);
            if (await SaveAsync(server, tools.Time, cancellationToken) is { } failed)
            {
                return new BackupProblem(what, failed, "see the Redis server's log for why it could not write its RDB file (permissions, disk space)");
            }
        }
        catch (RedisException e)
        {
            return new BackupProblem(what, $"Redis at {redis.Target} said: {e.Message.Split('\n')[0]}", $"check it answers: `tend health`");
        }

        try
        {
            await ArtifactFile.CopyAsync(rdb, partialPath, cancellationToken);
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            return DiskSpace.Problem(what, Path.GetDirectoryName(partialPath)!, $"copying {rdb}: {IoErrorText.Of(e)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BackupProblem(what, $"Redis saved {rdb}, but it cannot be read from here: {IoErrorText.Of(e)}", $"when Redis runs in a container or as another user, give the file's path as this host sees it: rdb = \"/path/to/{Path.GetFileName(rdb)}\" in the source");
        }

        var check = await tools.RunAsync(["redis-check-rdb", partialPath], null, cancellationToken);
        if (!check.Succeeded)
        {
            return BackupTools.Failed($"the RDB copied from {rdb} does not check", "redis-check-rdb", check, Path.GetDirectoryName(partialPath));
        }

        return new SavedArtifact(version, "redis-check-rdb: RDB looks OK");
    }

    public override async Task<Outcome<RestoreStep>> PrepareRestoreAsync(BackupSource source, string artifactPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var redis = (RedisSource)source;
        var rdb = redis.RdbPath;
        try
        {
            await using var connection = await ConnectAsync(redis.Server, tools, cancellationToken);
            var server = connection.GetServer(redis.Server.Host, redis.Server.Port);
            rdb ??= await RdbPathAsync(server);
            var appendOnly = (await server.ConfigGetAsync("appendonly")).FirstOrDefault().Value;
            if (appendOnly == "yes")
            {
                return new BackupProblem($"cannot restore Redis at {redis.Target} from an RDB file", "it runs with appendonly yes: at start it loads its AOF, not the RDB", "start it with appendonly no for the restore (CONFIG SET appendonly no, then CONFIG REWRITE), restore, then turn it on again");
            }
        }
        catch (RedisException e) when (rdb is null)
        {
            return new BackupProblem($"cannot learn where Redis at {redis.Target} loads its RDB from", $"it does not answer: {e.Message.Split('\n')[0]}", "start it, so that tend can ask it (CONFIG GET dir, dbfilename), or give the path in the source: rdb = \"/path/to/dump.rdb\"");
        }
        catch (RedisException)
        {
            // Not running, and the stack file says where the RDB is: that is all a restore needs.
        }

        var target = rdb!;
        return new RestoreStep($"copy the RDB to {target} while Redis is stopped", token => PutBackAsync(artifactPath, target, token));
    }

    /// <summary>The RDB goes in beside the old one, synced, then renamed over it; the old one stays as .before-restore.</summary>
    private static async Task<BackupProblem?> PutBackAsync(string artifact, string rdb, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(rdb)!;
        var incoming = rdb + ".restoring";
        try
        {
            await ArtifactFile.CopyAsync(artifact, incoming, cancellationToken);
            if (File.Exists(rdb))
            {
                File.Move(rdb, rdb + ".before-restore", overwrite: true);
            }

            File.Move(incoming, rdb);
            ArtifactFile.SyncDirectory(directory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Persistence.FileCleanup.TryDelete(incoming);
            return new BackupProblem($"cannot put the RDB back at {rdb}", IoErrorText.Of(e), $"check that {directory} is writable by you");
        }
    }

    private static async Task<string> RdbPathAsync(IServer server)
    {
        var directory = (await server.ConfigGetAsync("dir")).FirstOrDefault().Value;
        var file = (await server.ConfigGetAsync("dbfilename")).FirstOrDefault().Value;
        return Path.Combine(directory, file);
    }

    /// <summary>BGSAVE and the wait for it; null when it saved, else what went wrong.</summary>
    private static async Task<string?> SaveAsync(IServer server, TimeProvider time, CancellationToken cancellationToken)
    {
        var before = await server.LastSaveAsync();
        // LASTSAVE counts whole seconds: a save within the second of the last one would not move it.
        while ((await server.TimeAsync()).Ticks / TimeSpan.TicksPerSecond <= before.Ticks / TimeSpan.TicksPerSecond)
        {
            await Task.Delay(Poll, time, cancellationToken);
        }

        while (true)
        {
            try
            {
                await server.SaveAsync(SaveType.BackgroundSave);
                break;
            }
            catch (RedisServerException e) when (e.Message.Contains("in progress", StringComparison.OrdinalIgnoreCase))
            {
                // Someone else's save (or an AOF rewrite) is running; ours starts after it.
                await Task.Delay(Poll, time, cancellationToken);
            }
        }

        while (true)
        {
            await Task.Delay(Poll, time, cancellationToken);
            var info = (await server.InfoAsync("persistence")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            if (info.GetValueOrDefault("rdb_bgsave_in_progress") == "1")
            {
                continue;
            }

            if (await server.LastSaveAsync() > before)
            {
                return null;
            }

            if (info.GetValueOrDefault("rdb_last_bgsave_status") == "err")
            {
                return "Redis could not write its RDB file (rdb_last_bgsave_status:err)";
            }
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(RedisCheck server, BackupTools tools, CancellationToken cancellationToken)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { server.Host, server.Port } },
            User = server.User,
            Password = server.PasswordEnv is not null ? tools.Environment(server.PasswordEnv) : server.Password,
            Ssl = server.Tls,
            AbortOnConnectFail = true,
            ConnectRetry = 0,
            ConnectTimeout = 5000,
            SyncTimeout = 30_000,
            AsyncTimeout = 30_000,
            ClientName = "tend-backup",
            // BGSAVE, LASTSAVE and CONFIG GET are admin commands.
            AllowAdmin = true,
        };
        return ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
    }
}
