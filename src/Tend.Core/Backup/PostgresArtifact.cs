using System.Globalization;
using Tend.Core.Model;

namespace Tend.Core.Backup;

/// <summary>pg_dump -Fc, verified by pg_restore --list; restored with pg_restore --clean --if-exists in one transaction.</summary>
public sealed class PostgresArtifact : ArtifactKind
{
    public static readonly PostgresArtifact Instance = new();

    public override async Task<Outcome<SavedArtifact>> SaveAsync(BackupSource source, string partialPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var server = ((PostgresSource)source).Server;
        if ((tools.Missing("pg_dump") ?? tools.Missing("pg_restore")) is { } missing)
        {
            return missing;
        }

        var what = $"pg_dump of {server} failed";
        var dump = await tools.RunAsync(["pg_dump", "--format=custom", "--no-password", .. Connection(server, tools), $"--file={partialPath}"], Variables(server, tools), cancellationToken);
        if (!dump.Succeeded)
        {
            return BackupTools.Failed(what, "pg_dump", dump, Path.GetDirectoryName(partialPath));
        }

        var list = await tools.RunAsync(["pg_restore", "--list", partialPath], null, cancellationToken);
        if (!list.Succeeded)
        {
            return BackupTools.Failed($"the dump of {server} does not read back", "pg_restore --list", list, Path.GetDirectoryName(partialPath));
        }

        var entries = list.Output.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
        var version = await tools.VersionAsync("pg_dump", cancellationToken: cancellationToken);
        return new SavedArtifact(version, $"pg_restore --list: {entries} entr{(entries == 1 ? "y" : "ies")}");
    }

    public override Task<Outcome<RestoreStep>> PrepareRestoreAsync(BackupSource source, string artifactPath, BackupTools tools, CancellationToken cancellationToken = default)
    {
        var server = ((PostgresSource)source).Server;
        if (tools.Missing("pg_restore") is { } missing)
        {
            return Task.FromResult<Outcome<RestoreStep>>(missing);
        }

        // One transaction: a restore that fails half way leaves the database as it was.
        var step = new RestoreStep($"pg_restore --clean --if-exists into {server}", async token =>
        {
            var run = await tools.RunAsync(["pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-password", .. Connection(server, tools), artifactPath], Variables(server, tools), token);
            return run.Succeeded ? null : BackupTools.Failed($"pg_restore into {server} failed; the database is as it was (one transaction)", "pg_restore", run, null);
        });
        return Task.FromResult<Outcome<RestoreStep>>(step);
    }

    private static string[] Connection(Checks.Kinds.PostgresTarget server, BackupTools tools) =>
    [
        "--host", server.Host,
        "--port", server.Port.ToString(CultureInfo.InvariantCulture),
        "--username", server.User ?? tools.Environment("PGUSER") ?? Environment.UserName,
        "--dbname", server.Database,
    ];

    /// <summary>The password goes by the environment (PGPASSWORD), never on the command line, where ps shows it.</summary>
    private static Dictionary<string, string> Variables(Checks.Kinds.PostgresTarget server, BackupTools tools)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var password = server.PasswordEnv is not null ? tools.Environment(server.PasswordEnv) : server.Password ?? tools.Environment("PGPASSWORD");
        if (password is not null)
        {
            variables["PGPASSWORD"] = password;
        }

        if (server.SslMode is { } mode)
        {
            // Npgsql's names (VerifyFull) as libpq spells them (verify-full).
            variables["PGSSLMODE"] = mode.ToLowerInvariant() switch { "verifyca" => "verify-ca", "verifyfull" => "verify-full", var other => other };
        }

        return variables;
    }
}
