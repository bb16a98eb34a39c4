using Npgsql;
using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Alembic;

/// <summary>A database of its own for one test on the test PostgreSQL, dropped afterwards.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _adminConnection;

    private ScratchDatabase(string name, string url, string adminConnection)
    {
        Name = name;
        Url = url;
        _adminConnection = adminConnection;
    }

    public string Name { get; }

    /// <summary>postgresql:// URL of this database, with the superuser's password in it.</summary>
    public string Url { get; }

    public static async Task<ScratchDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var admin = TestServers.PostgresUrl;
        var name = "tend_alembic_" + Guid.NewGuid().ToString("N")[..12];
        PostgresTarget.TryParse(admin, null, out var target, out _).ShouldBeTrue();
        var adminConnection = target.ToConnectionString(new CheckContext { BaseDirectory = "/" }, TimeSpan.FromSeconds(10)).ConnectionString;
        await using (var connection = new NpgsqlConnection(adminConnection))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var url = new UriBuilder(admin) { Path = "/" + name }.Uri.ToString();
        return new ScratchDatabase(name, url, adminConnection);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = Name };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The version table as alembic creates it, holding the given rows.</summary>
    public async Task StampAsync(CancellationToken cancellationToken, params string[] revisions)
    {
        var rows = string.Join(", ", revisions.Select(r => $"('{r}')"));
        await ExecuteAsync(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
            + (revisions.Length > 0 ? $"INSERT INTO alembic_version VALUES {rows};" : ""),
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
