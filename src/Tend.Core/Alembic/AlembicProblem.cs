namespace Tend.Core.Alembic;

/// <summary>
/// Why the migration scripts cannot be read: <c>not_found</c> (no ini, script directory or
/// versions directory), <c>parse</c> (an ini or a revision file tend cannot read) or
/// <c>broken_graph</c> (revisions that do not form a history alembic would accept).
/// </summary>
public sealed record AlembicProblem(string ErrorClass, string Summary, IReadOnlyList<string> Facts)
{
    public static AlembicProblem NotFound(string summary, params string[] facts) => new("not_found", summary, facts);

    public static AlembicProblem Parse(string summary, params string[] facts) => new("parse", summary, facts);

    public static AlembicProblem BrokenGraph(string summary, params string[] facts) => new("broken_graph", summary, facts);
}
