using System.Globalization;
using Npgsql;
using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>
/// Where a PostgreSQL server is, from a <c>postgresql://</c> URL or an Npgsql key=value string.
/// Npgsql takes only key=value strings, so URLs are translated here; the password may come from
/// an environment variable instead of the file.
/// </summary>
public sealed record PostgresTarget(string Host, int Port, string? User, string Database, string? Password, string? PasswordEnv, string? SslMode)
{
    public override string ToString() => $"{Host}:{Port}/{Database}";

    public static bool TryParse(string text, string? passwordEnv, out PostgresTarget target, out string? error)
    {
        target = null!;
        error = null;
        if (text.StartsWith("postgres://", StringComparison.Ordinal) || text.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                error = "is not a valid postgresql:// URL";
                return false;
            }

            var userInfo = uri.UserInfo.Split(':', 2);
            var user = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null;
            var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null;
            var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
            var query = ParseQuery(uri.Query);
            target = new PostgresTarget(
                uri.Host.Trim('[', ']'),
                uri.Port > 0 ? uri.Port : 5432,
                user,
                database.Length > 0 ? database : user ?? "postgres",
                password,
                passwordEnv,
                query.GetValueOrDefault("sslmode"));
            return true;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            target = new PostgresTarget(
                builder.Host ?? "127.0.0.1",
                builder.Port,
                builder.Username,
                builder.Database ?? builder.Username ?? "postgres",
                builder.Password,
                passwordEnv,
                builder.SslMode.ToString());
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"is neither a postgresql:// URL nor a connection string ({e.Message})";
            return false;
        }
    }

    public NpgsqlConnectionStringBuilder ToConnectionString(CheckContext context, TimeSpan timeout)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = User ?? context.Environment("PGUSER") ?? System.Environment.UserName,
            // Npgsql counts whole seconds; round up so a 1.5 s check does not become 1 s.
            Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            Pooling = false,
            ApplicationName = "tend",
        };
        var password = PasswordEnv is not null ? context.Environment(PasswordEnv) : Password ?? context.Environment("PGPASSWORD");
        if (password is not null)
        {
            builder.Password = password;
        }

        if (SslMode is not null && Enum.TryParse<SslMode>(SslMode, ignoreCase: true, out var mode))
        {
            builder.SslMode = mode;
        }

        return builder;
    }

    /// <summary>
    /// Opens a connection and runs <paramref name="work"/> on it. The slim builder leaves out
    /// Npgsql's optional type mappings (JSON, ranges, full-text...): checks read only text, and
    /// without them the native binary is smaller and starts faster.
    /// </summary>
    public async Task<T> WithConnectionAsync<T>(CheckContext context, TimeSpan timeout, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var dataSource = new NpgsqlSlimDataSourceBuilder(ToConnectionString(context, timeout).ConnectionString).Build();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    /// <summary>The password it logs in with: written in the target, or read from password_env (PGPASSWORD when neither is set).</summary>
    public IEnumerable<string> Secrets(Func<string, string?> environment) =>
        new[] { Password, PasswordEnv is not null ? environment(PasswordEnv) : Password is null ? environment("PGPASSWORD") : null }.OfType<string>();

    public (string Key, string? Value)[] Data(CheckContext context) =>
    [
        ("host", Host),
        ("port", Port.ToString(CultureInfo.InvariantCulture)),
        ("database", Database),
        ("user", User ?? context.Environment("PGUSER") ?? System.Environment.UserName),
        .. PasswordFacts.Of(Password, PasswordEnv, "PGPASSWORD", "PGPASSWORD", $"postgresql://{User}:****@{Host}:{Port}/{Database}", context.Environment),
    ];

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            result[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        return result;
    }
}
