using Npgsql;
using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>PostgreSQL accepts a login to the database, spoken over its own protocol by Npgsql.</summary>
public sealed record PostgresCheck(PostgresTarget Server) : CheckSpec
{
    public static readonly CheckKind Definition = new("postgres", "PostgreSQL accepts a login to the database", TimeSpan.FromSeconds(5), CheckValueForms.String, [CheckOption.String("password_env")], Create);

    public override string Kind => "postgres";

    public override string Target => Server.ToString();

    public override IEnumerable<string> Secrets(Func<string, string?> environment) => Server.Secrets(environment);

    private static PostgresCheck? Create(CheckArguments arguments)
    {
        if (!PostgresTarget.TryParse((string)arguments.Value, arguments.String("password_env"), out var target, out var error))
        {
            arguments.Error($"{arguments.What} {error}", "e.g. \"postgresql://postgres@127.0.0.1:5432/app\"");
            return null;
        }

        return new PostgresCheck(target);
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = Server.ToConnectionString(context, Timeout);
        var data = Server.Data(context);
        try
        {
            var (version, user, database) = await Server.WithConnectionAsync(context, Timeout, static async (connection, token) =>
            {
                await using var command = new NpgsqlCommand("SELECT current_setting('server_version'), current_user, current_database()", connection);
                await using var reader = await command.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            }, cancellationToken);
            return CheckOutcome.Pass(
                $"PostgreSQL {version}, logged in as {user} to {database}",
                $"PostgreSQL {version} at {Server.Host}:{Server.Port} accepted user {user} on database {database}")
                .WithData(data);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is NpgsqlException or TimeoutException or IOException)
        {
            return Explain(e, connectionString.Username ?? "?", Timeout).WithData(data);
        }
    }

    /// <summary>Maps Npgsql's failures to error classes, using the server's SQLSTATE where there is one.</summary>
    public CheckOutcome Explain(Exception error, string user, TimeSpan timeout)
    {
        if (error is PostgresException pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword => CheckOutcome.Fail("auth_failed", $"password authentication failed for user {user}", $"{Server.Host}:{Server.Port} said: {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                PostgresErrorCodes.InvalidAuthorizationSpecification => CheckOutcome.Fail("auth_failed", $"login refused for user {user}: {pg.MessageText}", $"{Server.Host}:{Server.Port} said: {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                PostgresErrorCodes.InvalidCatalogName => CheckOutcome.Fail("db_missing", $"database \"{Server.Database}\" does not exist", $"{Server.Host}:{Server.Port} said: {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                PostgresErrorCodes.CannotConnectNow => CheckOutcome.Fail("starting", "PostgreSQL is starting up or shutting down", $"{Server.Host}:{Server.Port} said: {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                PostgresErrorCodes.TooManyConnections => CheckOutcome.Fail("too_many_connections", "PostgreSQL has no free connection slots", $"{Server.Host}:{Server.Port} said: {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                _ => CheckOutcome.Fail("postgres_error", pg.MessageText, $"{Server.Host}:{Server.Port} said: {pg.MessageText} (SQLSTATE {pg.SqlState})"),
            };
        }

        if (error is NpgsqlException && error.Message.Contains("password", StringComparison.OrdinalIgnoreCase) && error.InnerException is null)
        {
            return CheckOutcome.Fail("auth_failed", $"the server wants a password for user {user} and none was given", $"{Server.Host}:{Server.Port}: {error.Message}");
        }

        return NetworkFailure.Classify(error, Server.Host, Server.Port, timeout);
    }
}
