using Npgsql;

namespace Tend.Core.Alembic;

/// <summary>
/// Reads alembic's version table: one row per applied head (several when unmerged branches or
/// independent bases are applied side by side). Null means the table does not exist.
/// </summary>
public static class VersionTable
{
    public const string DefaultName = "alembic_version";

    public static async Task<IReadOnlyList<string>?> ReadAsync(NpgsqlConnection connection, string? schema, string table, CancellationToken cancellationToken = default)
    {
        // Without a schema alembic leaves the name unqualified, so the search_path decides; to_regclass
        // resolves it the same way and answers NULL instead of failing when nothing matches.
        var name = QualifiedName(schema, table);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }

        await using var select = new NpgsqlCommand($"SELECT version_num FROM {name}", connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0).Trim());
        }

        return rows;
    }

    public static string Describe(string? schema, string table) => schema is null ? table : $"{schema}.{table}";

    private static string QualifiedName(string? schema, string table) =>
        schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
