namespace Tend.Core.Alembic;

/// <summary>
/// One revision file as alembic sees it: its id, the revisions it follows (<c>down_revision</c>,
/// several for a merge point), the ones it needs without following them (<c>depends_on</c>: ids or
/// branch labels) and the labels it gives its branch.
/// </summary>
public sealed record AlembicRevision(
    string Id,
    IReadOnlyList<string> DownRevisions,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> BranchLabels,
    string File,
    string Message)
{
    /// <summary>Alembic's ids are twelve hex characters; custom ids can be long, so text shows twelve.</summary>
    public const int ShortLength = 12;

    /// <summary>Values tend could not evaluate without Python (file:line: name = text), left out of the graph.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    public bool IsMergePoint => DownRevisions.Count > 1;

    public bool IsBase => DownRevisions.Count == 0;

    public string ShortId => Short(Id);

    public static string Short(string id) => id.Length > ShortLength ? id[..ShortLength] : id;
}
