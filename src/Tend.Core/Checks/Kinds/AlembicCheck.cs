using Npgsql;
using Tend.Core.Alembic;
using Tend.Core.Model;

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
    public static readonly CheckKind Definition = new(
        "alembic",
        "database migrations are up to date",
        TimeSpan.FromSeconds(10),
        CheckValueForms.String,
        [CheckOption.String("database", required: true), CheckOption.String("password_env"), CheckOption.String("version_table"), CheckOption.String("schema"),
         CheckOption.String("section"), CheckOption.String("scripts"), CheckOption.String("python")],
        Create);

    public override string Kind => "alembic";

    public override string Target => Scripts;

    /// <summary>The server when <see cref="Database"/> is a URL; null when it names a component.</summary>
    public PostgresTarget? Url { get; init; }

    public override IEnumerable<string> Secrets(Func<string, string?> environment) => Url?.Secrets(environment) ?? [];

    public string VersionTable { get; init; } = Alembic.VersionTable.DefaultName;

    /// <summary>alembic's <c>version_table_schema</c>; null leaves the table to the search_path, as alembic does.</summary>
    public string? Schema { get; init; }

    /// <summary>The ini section, as <c>alembic -n NAME</c> picks it.</summary>
    public string Section { get; init; } = ScriptLocator.IniSection;

    /// <summary>The script directory, overriding script_location (a layout tend cannot follow).</summary>
    public string? ScriptsOverride { get; init; }

    /// <summary>The project's interpreter, whose sys.path holds a package:dir script location.</summary>
    public string? Python { get; init; }

    public override IReadOnlyList<string> NeedsComponents => IsUrl(Database) ? [] : [Database];

    private static bool IsUrl(string database) => database.Contains("://", StringComparison.Ordinal);

    private static AlembicCheck? Create(CheckArguments arguments)
    {
        var database = arguments.String("database");
        var passwordEnv = arguments.String("password_env");
        var versionTable = arguments.String("version_table");
        var schema = arguments.String("schema");
        if (database is null)
        {
            return null;
        }

        if (versionTable is { Length: 0 } || schema is { Length: 0 })
        {
            var key = versionTable is { Length: 0 } ? "version_table" : "schema";
            arguments.ErrorAt(key, $"{arguments.Describe(key)} must not be empty");
            return null;
        }

        PostgresTarget? url = null;
        if (IsUrl(database))
        {
            if (!PostgresTarget.TryParse(database, passwordEnv, out var target, out var error) || !database.StartsWith("postgres", StringComparison.Ordinal))
            {
                arguments.ErrorAt("database", $"{arguments.Describe("database")} {error ?? "must be a postgresql:// URL"}", "name a component with a postgres health check, or write \"postgresql://user@127.0.0.1:5432/app\"");
                return null;
            }

            url = target;
        }
        else if (passwordEnv is not null)
        {
            arguments.ErrorAt("password_env", $"{arguments.Describe("password_env")} applies only when database is a URL", $"component '{database}' brings its own credentials from its postgres check");
            return null;
        }

        if (arguments.String("section") is { Length: 0 } || arguments.String("scripts") is { Length: 0 } || arguments.String("python") is { Length: 0 })
        {
            var key = arguments.String("section") is { Length: 0 } ? "section" : arguments.String("scripts") is { Length: 0 } ? "scripts" : "python";
            arguments.ErrorAt(key, $"{arguments.Describe(key)} must not be empty");
            return null;
        }

        return new AlembicCheck((string)arguments.Value, database)
        {
            Url = url,
            VersionTable = versionTable ?? Alembic.VersionTable.DefaultName,
            Schema = schema,
            Section = arguments.String("section") ?? ScriptLocator.IniSection,
            ScriptsOverride = arguments.String("scripts"),
            Python = arguments.String("python"),
        };
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var path = context.Resolve(Scripts);
        var configDirectory = File.Exists(path) ? Path.GetDirectoryName(path)! : path;
        var pythonPath = await PythonPath.AskAsync(Python is null ? null : context.Resolve(Python), configDirectory, Timeout / 2, cancellationToken);
        var options = new ScriptOptions(Section, ScriptsOverride is null ? null : context.Resolve(ScriptsOverride), pythonPath);
        var scripts = await AlembicScriptsReader.ReadAsync(path, options, cancellationToken);
        var alembic = ("alembic", Command(context, path));
        if (scripts.Scripts is not { } read)
        {
            return CheckOutcome.Fail(scripts.Problem!.ErrorClass, scripts.Problem.Summary, [.. scripts.Problem.Facts]).WithData(("scripts", path), alembic);
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

        var outcome = Outcome(MigrationVerdict.Judge(read.Graph, current, Alembic.VersionTable.Describe(Schema, VersionTable)));
        if (read.Skipped.Count > 0)
        {
            outcome = outcome with { Facts = [.. outcome.Facts, $"skipped {read.Skipped.Count} value(s) only Python can evaluate; nothing names them: {string.Join("; ", read.Skipped.Take(5))}{(read.Skipped.Count > 5 ? "; …" : "")}"] };
        }

        return outcome
            .WithData(data)
            .WithData(("scripts", path), alembic);
    }

    /// <summary>The judgement as a check outcome; the error classes are the words the diagnosis rules match.</summary>
    public static CheckOutcome Outcome(MigrationJudgement judgement)
    {
        var outcome = judgement.State switch
        {
            MigrationState.UpToDate => CheckOutcome.Pass(judgement.Summary, [.. judgement.Facts]),
            MigrationState.MultipleHeadsApplied => CheckOutcome.Warn("multiple_heads", judgement.Summary, [.. judgement.Facts]),
            MigrationState.Pending => CheckOutcome.Fail("pending", judgement.Summary, [.. judgement.Facts]),
            MigrationState.UnknownRevision => CheckOutcome.Fail("unknown_revision", judgement.Summary, [.. judgement.Facts]),
            MigrationState.MultipleHeads => CheckOutcome.Fail("multiple_heads", judgement.Summary, [.. judgement.Facts]),
            MigrationState.NoVersionTable => CheckOutcome.Fail("no_version_table", judgement.Summary, [.. judgement.Facts]),
            _ => throw new InvalidOperationException($"unknown migration state {judgement.State}"),
        };
        return outcome with { Data = judgement.Data };
    }

    /// <summary>
    /// The alembic command line the next steps begin with, from where the user stands: <c>-c</c>
    /// when the ini is not ./alembic.ini there, <c>-n</c> when the section is not the default.
    /// </summary>
    private string Command(CheckContext context, string path)
    {
        var words = new List<string> { "alembic" };
        var ini = Directory.Exists(path) ? Path.Combine(path, "alembic.ini") : path;
        var here = Path.GetFullPath(Path.Combine(context.ShownFrom ?? context.BaseDirectory, "alembic.ini"));
        if (File.Exists(ini) && Path.GetFileName(ini) != "pyproject.toml" && Path.GetFullPath(ini) != here)
        {
            words.Add($"-c {context.Shown(ini)}");
        }

        if (Section != ScriptLocator.IniSection)
        {
            words.Add($"-n {Text.ShellWords.Quote(Section)}");
        }

        return string.Join(' ', words);
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
