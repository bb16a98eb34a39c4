using Tend.Core.Checks.Kinds;
using Tend.Core.Model;

namespace Tend.Core.Backup;

/// <summary><c>{ type = "postgres", url = "postgresql://...", password_env = "PGPASSWORD" }</c>: pg_dump -Fc of one database.</summary>
public sealed record PostgresSource(PostgresTarget Server) : BackupSource
{
    public override string Type => "postgres";

    public override string Target => Server.ToString();

    public override bool RestoreNeedsStopped => false;

    public override IEnumerable<string> Secrets(Func<string, string?> environment) => Server.Secrets(environment);
}

/// <summary>
/// <c>{ type = "redis", url = "redis://...", password_env = "...", rdb = "PATH" }</c>: BGSAVE, then a copy
/// of the RDB file; <paramref name="RdbPath"/> is where that file is seen from this host when it is not
/// where the server says (CONFIG GET dir, dbfilename), as with a server in a container.
/// </summary>
public sealed record RedisSource(RedisCheck Server, string? RdbPath) : BackupSource
{
    public override string Type => "redis";

    public override string Target => Server.Target;

    public override bool RestoreNeedsStopped => true;

    public override IEnumerable<string> Secrets(Func<string, string?> environment) => Server.Secrets(environment);
}

/// <summary><c>{ type = "etcd", endpoints = "http://...", data_dir = "..." }</c>: an etcdctl snapshot; restoring it needs the member's data directory.</summary>
public sealed record EtcdSource(string Endpoints, string? DataDirectory) : BackupSource
{
    public override string Type => "etcd";

    public override string Target => Endpoints;

    public override bool RestoreNeedsStopped => true;
}

/// <summary><c>{ type = "files", paths = ["data/"], stopped = true }</c>: a tar of paths, taken with the component stopped when asked.</summary>
public sealed record FilesSource(ValueList<string> Paths, bool Stopped) : BackupSource
{
    public override string Type => "files";

    public override string Target => string.Join(", ", Paths);

    public override bool RestoreNeedsStopped => Stopped;

    public override bool SaveNeedsStopped => Stopped;
}

/// <summary>The stack's own configuration: the stack file, tend.lock, env files and config files. One more artifact of every backup.</summary>
public sealed record ConfigSource(ValueList<string> Paths) : BackupSource
{
    public override string Type => "config";

    public override string Target => $"{Paths.Count} file{(Paths.Count == 1 ? "" : "s")}";

    public override bool RestoreNeedsStopped => false;

    /// <summary>The files of <paramref name="stack"/>'s configuration that exist now, as absolute paths.</summary>
    public static ConfigSource Of(StackFile stack)
    {
        var paths = new List<string> { stack.Path };
        foreach (var extra in (string[])["tend.lock", ".env"])
        {
            paths.Add(Path.Combine(stack.Directory, extra));
        }

        foreach (var component in stack.Components)
        {
            paths.AddRange(component.EnvFiles);
            // Config paths are relative to the stack file, as the file check resolves them.
            if (component.Config is { } config)
            {
                paths.Add(Path.GetFullPath(config.Path, stack.Directory));
                if (config.Sample is { } sample)
                {
                    paths.Add(Path.GetFullPath(sample, stack.Directory));
                }
            }
        }

        return new ConfigSource([.. paths.Where(File.Exists).Distinct(StringComparer.Ordinal)]) { ArtifactName = "config.tar" };
    }
}
