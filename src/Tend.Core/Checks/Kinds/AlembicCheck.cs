namespace Tend.Core.Checks.Kinds;

/// <summary>Placeholder until the alembic reader lands: binds the options and reports "not implemented".</summary>
public sealed record AlembicCheck(string Scripts, string Database) : CheckSpec
{
    public static readonly CheckKind Definition = new("alembic", "database migrations are up to date", TimeSpan.FromSeconds(10), Bind);

    public override string Kind => "alembic";

    public override string Target => Scripts;

    public override IReadOnlyList<string> NeedsComponents => Database.Contains("://", StringComparison.Ordinal) ? [] : [Database];

    private static AlembicCheck? Bind(CheckBinding binding)
    {
        var database = binding.Reader.String("database", required: true);
        var scripts = binding.KindString();
        return scripts is null || database is null ? null : new AlembicCheck(scripts, database);
    }

    public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(CheckOutcome.Skip("alembic check not implemented yet"));
}
