namespace Tend.Core.Alembic;

/// <summary>The migration scripts of one project: where they are and the graph of their revisions.</summary>
public sealed record AlembicScripts(ScriptLocation Location, RevisionGraph Graph)
{
    /// <summary>Branch labels and dependencies left out because only Python could evaluate them (file:line: text).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>Scripts read, or why not.</summary>
public sealed record AlembicScriptsResult(AlembicScripts? Scripts, AlembicProblem? Problem);

/// <summary>
/// Reads every revision file of a project. Alembic loads every <c>.py</c> file of each version
/// directory except <c>__init__.py</c> and editor lock files (<c>.#name</c>); files are taken in
/// name order within a directory, so the order (and with it the order of pending migrations
/// among parallel branches) is the same on every machine.
/// </summary>
public static class AlembicScriptsReader
{
    public static Task<AlembicScriptsResult> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        ReadAsync(path, ScriptOptions.Default, cancellationToken);

    public static async Task<AlembicScriptsResult> ReadAsync(string path, ScriptOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadOrThrowAsync(path, options, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AlembicScriptsResult(null, AlembicProblem.NotFound($"cannot read the migration scripts at {path}", e.Message));
        }
    }

    private static async Task<AlembicScriptsResult> ReadOrThrowAsync(string path, ScriptOptions options, CancellationToken cancellationToken)
    {
        var found = await ScriptLocator.FindAsync(path, options, cancellationToken);
        if (found.Location is not { } location)
        {
            return new AlembicScriptsResult(null, found.Problem);
        }

        var revisions = new List<AlembicRevision>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in location.VersionDirectories)
        {
            foreach (var file in RevisionFiles(directory, location.Recursive))
            {
                if (!seen.Add(Path.GetFullPath(file)))
                {
                    continue;
                }

                var text = await File.ReadAllTextAsync(file, cancellationToken);
                var parsed = RevisionFileParser.Parse(text, file);
                if (parsed.Revision is null)
                {
                    return new AlembicScriptsResult(null, parsed.Problem);
                }

                revisions.Add(parsed.Revision);
            }
        }

        var graph = RevisionGraph.Build(revisions);
        var skipped = revisions.SelectMany(r => r.Skipped).ToList();
        if (graph.Graph is null)
        {
            // Something names a label or revision that is not there: perhaps one of those tend could not evaluate.
            var problem = graph.Problem!;
            return new AlembicScriptsResult(null, skipped.Count == 0 ? problem : problem with { Facts = [.. problem.Facts, .. skipped.Select(s => $"not evaluated without Python: {s}")] });
        }

        return new AlembicScriptsResult(new AlembicScripts(location, graph.Graph) { Skipped = skipped }, null);
    }

    /// <summary>The files alembic would load from one version directory, in name order.</summary>
    public static IEnumerable<string> RevisionFiles(string directory, bool recursive) =>
        Directory.EnumerateFiles(directory, "*.py", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => Path.GetFileName(f) is var name && !name.StartsWith(".#", StringComparison.Ordinal) && !name.StartsWith("__init__", StringComparison.Ordinal))
            .Where(f => !f[directory.Length..].Contains("__pycache__", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
