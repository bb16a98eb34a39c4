using Npgsql;
using Tend.Core.Alembic;

namespace Tend.Core.Checks.Kinds;

/// <summary>
/// The database's alembic migrations are up to date: reads the revision files (no Python
/// needed), builds their graph, reads <c>alembic_version</c>, and tells what
/// <c>alembic upgrade heads</c> would still run.
/// </summary>
/// <param name="Scripts">alembic.ini, a script directory or a versions directory, as written.</param>
/// <param name="Database">A component whose health check is a <c>postgres</c> check, or a postgresql:// URL.</param>
public sealed record AlembicCheck(string Scripts, string Database) : CheckSpec
{
    public static readonly CheckKind Definition = new("alembic", "database migrations are up to date", TimeSpan.FromSeconds(10), Bind);

    public override string Kind => "alembic";

    public override string Target => Scripts;

    /// <summary>The server when <see cref="Database"/> is a URL; null when it names a component.</summary>
    public PostgresTarget? Url { get; init; }

    public string VersionTable { get; init; } = Alembic.VersionTable.DefaultName;

    /// <summary>alembic's <c>version_table_schema</c>; null leaves the table to the search_path, as alembic does.</summary>
    public string? Schema { get; init; }

    public override IReadOnlyList<string> NeedsComponents => IsUrl(Database) ? [] : [Database];

    private static bool IsUrl(string database) => database.Contains("://", StringComparison.Ordinal);

    private static AlembicCheck? Bind(CheckBinding binding)
    {
        var reader = binding.Reader;
        var database = reader.String("database", required: true);
        var passwordEnv = reader.String("password_env");
        var versionTable = reader.String("version_table");
        var schema = reader.String("schema");
        var scripts = binding.KindString();
        if (scripts is null || database is null)
        {
            return null;
        }

        if (versionTable is { Length: 0 } || schema is { Length: 0 })
        {
            reader.Problems.Error(reader.Location, $"{reader.Describe(versionTable is { Length: 0 } ? "version_table" : "schema")} must not be empty");
            return null;
        }

        PostgresTarget? url = null;
        if (IsUrl(database))
        {
            if (!PostgresTarget.TryParse(database, passwordEnv, out var target, out var error) || !database.StartsWith("postgres", StringComparison.Ordinal))
            {
                reader.Problems.Error(reader.Location, $"{reader.Describe("database")} {error ?? "must be a postgresql:// URL"}", "name a component with a postgres health check, or write \"postgresql://user@127.0.0.1:5432/app\"");
                return null;
            }

            url = target;
        }
        else if (passwordEnv is not null)
        {
            reader.Problems.Error(reader.Location, $"{reader.Describe("password_env")} applies only when database is a URL", $"component '{database}' brings its own credentials from its postgres check");
            return null;
        }

        return new AlembicCheck(scripts, database)
        {
            Url = url,
            VersionTable = versionTable ?? Alembic.VersionTable.DefaultName,
            Schema = schema,
        };
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var path = context.Resolve(Scripts);
        var scripts = await AlembicScriptsReader.ReadAsync(path, cancellationToken);
        if (scripts.Scripts is not { } read)
        {
            return scripts.Problem!.ToOutcome().WithData(("scripts", path));
        }

        if (ResolveServer(context) is not { } server)
        {
            return context.ComponentHealth.ContainsKey(Database)
                ? CheckOutcome.Fail("not_postgres", $"component '{Database}' has no postgres health check to reach its database through", $"database = \"{Database}\" names a component whose health check is {context.ComponentHealth[Database].Kind}, not postgres").WithData(("scripts", path))
                : CheckOutcome.Fail("unknown_component", $"no component '{Database}' to find the database through", $"database = \"{Database}\" is neither a postgresql:// URL nor a component with a postgres health check").WithData(("scripts", path));
        }

        var connectionString = server.Server.ToConnectionString(context, Timeout);
        var data = server.Server.Data(context);
        IReadOnlyList<string>? current;
        try
        {
            current = await server.Server.WithConnectionAsync(
                context,
                Timeout,
                (connection, token) => Alembic.VersionTable.ReadAsync(connection, Schema, VersionTable, token),
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is NpgsqlException or TimeoutException or IOException)
        {
            return server.Explain(e, connectionString.Username ?? "?", Timeout).WithData(data).WithData(("scripts", path));
        }

        return MigrationVerdict.Judge(read.Graph, current, Alembic.VersionTable.Describe(Schema, VersionTable))
            .WithData(data)
            .WithData(("scripts", path));
    }

    /// <summary>The postgres check that reaches the database: built from the URL, or the component's own.</summary>
    private PostgresCheck? ResolveServer(CheckContext context)
    {
        if (Url is not null)
        {
            return new PostgresCheck(Url) { Timeout = Timeout };
        }

        return context.ComponentHealth.TryGetValue(Database, out var health) && health is PostgresCheck postgres ? postgres : null;
    }
}
