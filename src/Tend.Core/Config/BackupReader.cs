using Tend.Core.Backup;
using Tend.Core.Checks;
using Tend.Core.Checks.Kinds;
using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// Reads a component's <c>backup</c>: an array of typed sources, or
/// <c>{ keep = N, sources = [...] }</c>. Server addresses are read as the checks of the same
/// kind read them (postgresql:// and redis:// URLs, password_env), so one spelling serves both.
/// </summary>
internal static class BackupReader
{
    public static readonly IReadOnlyList<string> Types = ["postgres", "redis", "etcd", "files"];

    public static BackupPlan Read(string component, TableReader reader)
    {
        if (reader.Entry("backup") is not { } entry)
        {
            return BackupPlan.None;
        }

        int? keep = null;
        TomlNode? list = entry.Value;
        var what = reader.Describe("backup");
        if (entry.Value is TomlTableNode)
        {
            var table = reader.Subtable("backup")!;
            keep = (int?)table.Integer("keep", 1, 10_000);
            list = table.Entry("sources", required: true)?.Value;
            what = table.Describe("sources");
            table.Finish();
        }

        if (list is null)
        {
            return BackupPlan.None;
        }

        if (list is not TomlArrayNode array)
        {
            reader.TypeError(list, what, "an array of sources such as [{ type = \"files\", paths = [\"data/\"] }], or a table { keep = N, sources = [...] }");
            return BackupPlan.None;
        }

        var sources = new List<BackupSource>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (array.Items[i] is not TomlTableNode item)
            {
                reader.TypeError(array.Items[i], $"{what}[{i}]", "a source table such as { type = \"postgres\", url = \"postgresql://...\" }");
                continue;
            }

            if (ReadSource(new TableReader(item, $"{what}[{i}]", reader.Context)) is { } source)
            {
                var count = sources.Count(s => s.Type == source.Type);
                sources.Add(source with { ArtifactName = (count == 0 ? source.Type : $"{source.Type}-{count + 1}") + Extension(source), Location = item.Location });
            }
        }

        if (sources.Any(s => s.SaveNeedsStopped) && reader.Table.TryGet("command", out _) is false)
        {
            reader.Problems.Error(entry.KeyLocation, $"components.{component} has a files source with stopped = true, but tend does not run it (it has no command), so it cannot stop it for the copy", "remove stopped = true, or stop it yourself before `tend backup`");
        }

        return new BackupPlan([.. sources], keep);
    }

    private static string Extension(BackupSource source) => source switch
    {
        PostgresSource => ".dump",
        RedisSource => ".rdb",
        EtcdSource => ".snapshot.db",
        _ => ".tar",
    };

    private static BackupSource? ReadSource(TableReader table)
    {
        var type = table.Choice("type", Types, required: true);
        BackupSource? source = type switch
        {
            "postgres" => ReadPostgres(table),
            "redis" => ReadRedis(table),
            "etcd" => ReadEtcd(table),
            "files" => ReadFiles(table),
            _ => null,
        };
        if (type is null)
        {
            // Its keys belong to a type not known yet: one error, at the type, not one per key.
            table.Allow([.. table.Table.Entries.Select(e => e.Key)]);
        }

        table.Finish();
        return source;
    }

    private static PostgresSource? ReadPostgres(TableReader table)
    {
        var url = table.String("url", required: true);
        var passwordEnv = table.String("password_env");
        if (url is null)
        {
            return null;
        }

        if (!PostgresTarget.TryParse(url, passwordEnv, out var target, out var error))
        {
            table.Problems.Error(table.Entry("url")!.Value.Location, $"{table.Describe("url")} {error}", "e.g. \"postgresql://postgres@127.0.0.1:5432/app\"");
            return null;
        }

        return new PostgresSource(target);
    }

    private static RedisSource? ReadRedis(TableReader table)
    {
        var url = table.String("url", required: true);
        var passwordEnv = table.String("password_env");
        var tls = table.Boolean("tls");
        var rdb = table.String("rdb");
        if (url is null)
        {
            return null;
        }

        var options = new Dictionary<string, CheckArgument>(StringComparer.Ordinal);
        if (passwordEnv is not null)
        {
            options["password_env"] = new CheckArgument(passwordEnv, table.Entry("password_env")!.Value.Location);
        }

        if (tls is not null)
        {
            options["tls"] = new CheckArgument(tls.Value, table.Entry("tls")!.Value.Location);
        }

        var arguments = new CheckArguments(table.Path, "url", new CheckArgument(url, table.Entry("url")!.Value.Location), options, table.Location, (location, message, hint) => table.Problems.Error(location, message, hint));
        return RedisCheck.Definition.Create(arguments) is RedisCheck server
            ? new RedisSource(server, rdb is null ? null : Path.GetFullPath(rdb, table.Context.BaseDirectory))
            : null;
    }

    private static EtcdSource? ReadEtcd(TableReader table)
    {
        var endpoints = table.String("endpoints", required: true);
        var dataDirectory = table.String("data_dir");
        if (endpoints is null)
        {
            return null;
        }

        return new EtcdSource(endpoints, dataDirectory is null ? null : Path.GetFullPath(dataDirectory, table.Context.BaseDirectory));
    }

    private static FilesSource? ReadFiles(TableReader table)
    {
        var paths = table.StringOrList("paths");
        var stopped = table.Boolean("stopped") ?? false;
        if (paths is null)
        {
            table.Entry("paths", required: true);
            return null;
        }

        if (paths.Count == 0)
        {
            table.Problems.Error(table.Entry("paths")!.Value.Location, $"{table.Describe("paths")} must name at least one path");
            return null;
        }

        return new FilesSource([.. paths.Select(p => Path.GetFullPath(p, table.Context.BaseDirectory))], stopped);
    }
}
