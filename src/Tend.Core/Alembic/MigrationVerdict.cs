using System.Globalization;

namespace Tend.Core.Alembic;

/// <summary>Where a database stands against its migration scripts.</summary>
public enum MigrationState
{
    UpToDate,

    /// <summary>Migrations are to be applied.</summary>
    Pending,

    /// <summary>The database is at a revision no script defines.</summary>
    UnknownRevision,

    /// <summary>Unmerged heads, and the database lacks migrations of one of them.</summary>
    MultipleHeads,

    /// <summary>Unmerged heads, all applied: nothing is missing, but the next upgrade or revision refuses.</summary>
    MultipleHeadsApplied,

    /// <summary>The version table does not exist: never migrated.</summary>
    NoVersionTable,
}

/// <summary>
/// What <see cref="MigrationVerdict"/> found, in words: the facts, and data keys the diagnosis
/// rules fill (<c>pending_count</c>, <c>pending</c>, <c>current</c>, <c>heads</c>, <c>revision_count</c>).
/// </summary>
public sealed record MigrationJudgement(MigrationState State, string Summary, IReadOnlyList<string> Facts, IReadOnlyDictionary<string, string> Data)
{
    public MigrationJudgement With(params (string Key, string? Value)[] values)
    {
        var data = new Dictionary<string, string>(Data, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        return this with { Data = data };
    }
}

/// <summary>
/// Compares what the database has applied with what the scripts hold. Text shows ids cut to
/// twelve characters; <c>current</c> and <c>heads</c> keep full ids, because they are what a user
/// greps the versions directory for.
/// </summary>
public static class MigrationVerdict
{
    private const int MaxListedFacts = 20;
    private const int MaxInSummary = 5;

    /// <param name="current">The version table's rows; null when the table does not exist.</param>
    public static MigrationJudgement Judge(RevisionGraph graph, IReadOnlyList<string>? current, string versionTable)
    {
        var heads = graph.Heads;
        var headsFact = heads.Count == 0
            ? "the scripts have no revisions"
            : $"the scripts have {Count(graph.Revisions.Count, "revision")} with {(heads.Count == 1 ? "head " : "heads ")}{ShortList(heads)}";
        (string, string?)[] common =
        [
            ("heads", string.Join(", ", heads)),
            ("revision_count", graph.Revisions.Count.ToString(CultureInfo.InvariantCulture)),
        ];

        if (current is null)
        {
            var all = graph.PendingUpgrades([]);
            // A fresh database is told `alembic upgrade head`, which refuses two heads ("Multiple head revisions"): the merge comes first.
            if (ForgottenMerges(graph) is { Count: > 1 } unmergedFresh)
            {
                return UnmergedHeads(graph, unmergedFresh, all, $"the database has no table {versionTable}", headsFact).With(common).With(("current", "base"), ("heads", string.Join(", ", unmergedFresh)));
            }

            return Found(MigrationState.NoVersionTable, $"no {versionTable} table: the database was never migrated", [$"the database has no table {versionTable}", headsFact])
                .With(common)
                .With(PendingData(all, "base"));
        }

        var currentText = current.Count == 0 ? "base" : string.Join(", ", current);
        var unknown = current.Where(c => !graph.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            return Found(
                    MigrationState.UnknownRevision,
                    $"the database is at revision {ShortList(unknown)}, which no migration script defines",
                    [$"{versionTable} holds {ShortList(current)}", headsFact])
                .With(common)
                .With(("current", string.Join(", ", unknown)));
        }

        var pending = graph.PendingUpgrades(current);
        var at = current.Count == 0 ? $"{versionTable} is empty (at base)" : $"the database is at {ShortList(current)}";
        if (ForgottenMerges(graph) is { Count: > 1 } unmerged)
        {
            return UnmergedHeads(graph, unmerged, pending, at, headsFact).With(common).With(("current", currentText), ("heads", string.Join(", ", unmerged)));
        }

        if (pending.Count == 0)
        {
            var where = heads.Count == 0 ? "no migrations yet" : heads.Count == 1 ? $"at head {AlembicRevision.Short(heads[0])}" : $"at heads {ShortList(heads)}";
            return Found(MigrationState.UpToDate, $"up to date, {where}", [at, headsFact]).With(common).With(("current", currentText));
        }

        return Found(MigrationState.Pending, $"{Count(pending.Count, "migration")} pending: {Chain(pending, MaxInSummary)}", [at, headsFact, .. PendingFacts(graph, pending)])
            .With(common)
            .With(PendingData(pending, currentText));
    }

    /// <summary>
    /// Several heads without a merge revision. When the database has every head applied nothing is
    /// missing from its schema, so this is a warning: only the next `alembic upgrade head` or
    /// `alembic revision` will refuse. When something is pending it is a failure even if the
    /// database sits at one of the heads: the other branch's migrations are missing, and the
    /// `alembic upgrade head` that would add them refuses to choose between heads.
    /// </summary>
    private static MigrationJudgement UnmergedHeads(RevisionGraph graph, List<string> heads, IReadOnlyList<string> pending, string at, string headsFact)
    {
        var refuse = "alembic upgrade head and alembic revision refuse to run until a merge revision joins the heads (\"Multiple head revisions\")";
        if (pending.Count == 0)
        {
            return Found(MigrationState.MultipleHeadsApplied, $"the scripts have {heads.Count} unmerged heads ({ShortList(heads)}); the database has all of them applied", [at, headsFact, refuse])
                .With(PendingData(pending, null));
        }

        return Found(
                MigrationState.MultipleHeads,
                $"the scripts have {heads.Count} unmerged heads ({ShortList(heads)}) and {Count(pending.Count, "migration")} pending",
                [at, headsFact, refuse, .. PendingFacts(graph, pending)])
            .With(PendingData(pending, null));
    }

    /// <summary>
    /// The heads that look like a merge someone forgot: two heads that grew from a common
    /// revision and carry the same branch labels. Heads of independent bases, or of a branch given
    /// its own label, are kept apart on purpose (alembic's "multiple bases" and labelled-branch
    /// layouts, applied with `alembic upgrade heads`), so they do not count.
    /// </summary>
    private static List<string> ForgottenMerges(RevisionGraph graph)
    {
        var heads = graph.Heads;
        if (heads.Count < 2)
        {
            return [];
        }

        var lineages = heads.Select(graph.LineageOf).ToList();
        var labels = heads.Select(graph.BranchLabelsOf).ToList();
        var unmerged = new List<string>();
        for (var i = 0; i < heads.Count; i++)
        {
            for (var j = 0; j < heads.Count; j++)
            {
                if (i != j && lineages[i].Overlaps(lineages[j]) && labels[i].SetEquals(labels[j]))
                {
                    unmerged.Add(heads[i]);
                    break;
                }
            }
        }

        return unmerged;
    }

    private static MigrationJudgement Found(MigrationState state, string summary, IReadOnlyList<string> facts) =>
        new(state, summary, facts, new Dictionary<string, string>(StringComparer.Ordinal));

    private static IEnumerable<string> PendingFacts(RevisionGraph graph, IReadOnlyList<string> pending)
    {
        foreach (var id in pending.Take(MaxListedFacts))
        {
            var revision = graph[id];
            var message = revision.Message.Length > 0 ? $" {revision.Message}" : "";
            yield return $"pending: {revision.ShortId}{message} ({Path.GetFileName(revision.File)})";
        }

        if (pending.Count > MaxListedFacts)
        {
            yield return $"... and {pending.Count - MaxListedFacts} more";
        }
    }

    private static (string, string?)[] PendingData(IReadOnlyList<string> pending, string? current) =>
    [
        ("pending_count", pending.Count.ToString(CultureInfo.InvariantCulture)),
        ("pending", Chain(pending, int.MaxValue)),
        ("pending_ids", string.Join(' ', pending)),
        ("current", current),
    ];

    private static string Chain(IReadOnlyList<string> ids, int max) =>
        string.Join(" → ", ids.Take(max).Select(AlembicRevision.Short)) + (ids.Count > max ? $" → … ({ids.Count - max} more)" : "");

    private static string ShortList(IEnumerable<string> ids) => string.Join(", ", ids.Select(AlembicRevision.Short));

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
