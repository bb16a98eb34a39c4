namespace Tend.Core.Alembic;

/// <summary>A revision graph built, or why the revisions do not form one.</summary>
public sealed record RevisionGraphResult(RevisionGraph? Graph, AlembicProblem? Problem);

/// <summary>
/// The revisions as alembic's RevisionMap links them. Edges run from a revision to what it
/// revises (<c>down_revision</c>) and to what it depends on (<c>depends_on</c>, resolved through
/// branch labels). The order revisions were loaded in is kept, because alembic's topological sort
/// breaks ties by it.
/// </summary>
public sealed partial class RevisionGraph
{
    private readonly Dictionary<string, Node> _nodes;

    private RevisionGraph(List<Node> nodes)
    {
        _nodes = nodes.ToDictionary(n => n.Revision.Id, StringComparer.Ordinal);
        Revisions = [.. nodes.Select(n => n.Revision)];
        Heads = [.. nodes.Where(n => n.Children.Count == 0).Select(n => n.Revision.Id)];
        RealHeads = [.. nodes.Where(n => n.AllChildren.Count == 0).Select(n => n.Revision.Id)];
        Bases = [.. nodes.Where(n => n.Revision.IsBase).Select(n => n.Revision.Id)];
    }

    /// <summary>Every revision, in load order.</summary>
    public IReadOnlyList<AlembicRevision> Revisions { get; }

    /// <summary>Revisions that no revision revises: what <c>alembic heads</c> lists. More than one means unmerged branches.</summary>
    public IReadOnlyList<string> Heads { get; }

    /// <summary>Revisions nothing revises or depends on: what <c>alembic upgrade heads</c> aims at.</summary>
    public IReadOnlyList<string> RealHeads { get; }

    /// <summary>Revisions with no down_revision.</summary>
    public IReadOnlyList<string> Bases { get; }

    public int MergePointCount => Revisions.Count(r => r.IsMergePoint);

    public int BranchPointCount => _nodes.Values.Count(n => n.Children.Count > 1);

    public bool Contains(string id) => _nodes.ContainsKey(id);

    public AlembicRevision this[string id] => _nodes[id].Revision;

    /// <summary>The revisions that revise this one (not counting depends_on).</summary>
    public IReadOnlyList<string> ChildrenOf(string id) => _nodes[id].Children;

    /// <summary>depends_on with branch labels replaced by the revision that declares the label, as alembic resolves them.</summary>
    public IReadOnlyList<string> DependenciesOf(string id) => _nodes[id].ResolvedDependencies;

    /// <summary>The labels a revision carries: its own and those of every revision it descends from.</summary>
    public IReadOnlySet<string> BranchLabelsOf(string id)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Walk([id], n => n.Revision.DownRevisions))
        {
            labels.UnionWith(node.Revision.BranchLabels);
        }

        return labels;
    }

    /// <summary>The revision and what it descends from through down_revision alone (depends_on not followed).</summary>
    public IReadOnlySet<string> LineageOf(string id) =>
        Walk([id], n => n.Revision.DownRevisions).Select(n => n.Revision.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>The given revisions and everything they need, through down_revision and depends_on.</summary>
    public HashSet<string> Ancestors(IEnumerable<string> ids) =>
        [.. Walk(ids, n => n.NormalizedDown).Select(n => n.Revision.Id)];

    public static RevisionGraphResult Build(IReadOnlyList<AlembicRevision> revisions)
    {
        var nodes = new List<Node>(revisions.Count);
        var byId = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var revision in revisions)
        {
            if (byId.TryGetValue(revision.Id, out var first))
            {
                return Broken($"revision {revision.Id} is defined twice", $"{first.Revision.File} and {revision.File} both set revision = '{revision.Id}'");
            }

            var node = new Node(revision, nodes.Count);
            byId[revision.Id] = node;
            nodes.Add(node);
        }

        // Alembic resolves depends_on through a map of ids and branch labels, where a label names
        // the revision that declares it.
        var symbols = new Dictionary<string, Node>(byId, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var label in node.Revision.BranchLabels)
            {
                if (symbols.TryGetValue(label, out var taken))
                {
                    return Broken($"branch label '{label}' is used twice", $"{node.Revision.File} declares branch_labels '{label}', already used by revision {taken.Revision.Id} ({taken.Revision.File})");
                }

                symbols[label] = node;
            }
        }

        foreach (var node in nodes)
        {
            var revision = node.Revision;
            foreach (var down in revision.DownRevisions)
            {
                if (down == revision.Id)
                {
                    return Broken($"revision {revision.ShortId} revises itself", $"{revision.File}: down_revision includes its own id '{down}'");
                }

                if (!byId.TryGetValue(down, out var parent))
                {
                    return Broken($"revision {revision.ShortId} revises {AlembicRevision.Short(down)}, which no revision file defines", $"{revision.File}: down_revision = '{down}' names no revision in the versions directories");
                }

                AddOnce(parent.Children, revision.Id);
                AddOnce(parent.AllChildren, revision.Id);
            }

            foreach (var dependency in revision.DependsOn)
            {
                if (!symbols.TryGetValue(dependency, out var target))
                {
                    return Broken($"revision {revision.ShortId} depends on {dependency}, which is neither a revision nor a branch label", $"{revision.File}: depends_on = '{dependency}' names nothing alembic knows");
                }

                if (target == node)
                {
                    return Broken($"revision {revision.ShortId} depends on itself", $"{revision.File}: depends_on names its own revision");
                }

                AddOnce(node.ResolvedDependencies, target.Revision.Id);
                AddOnce(target.AllChildren, revision.Id);
            }
        }

        if (FindCycle(nodes) is { Count: > 0 } cycle)
        {
            return Broken(
                $"the revisions form a cycle through {string.Join(", ", cycle.Take(5).Select(n => n.Revision.ShortId))}{(cycle.Count > 5 ? ", ..." : "")}",
                [.. cycle.Take(5).Select(n => $"{n.Revision.File} is its own ancestor through down_revision or depends_on")]);
        }

        var graph = new RevisionGraph(nodes);
        graph.NormalizeDependencies();
        return new RevisionGraphResult(graph, null);
    }

    /// <summary>
    /// Drops from each revision's dependencies those an ancestor already depends on, as alembic's
    /// <c>_normalize_depends_on</c> does; the upgrade order walks these normalized edges.
    /// </summary>
    private void NormalizeDependencies()
    {
        foreach (var node in _nodes.Values.Where(n => n.ResolvedDependencies.Count > 0))
        {
            var inherited = new HashSet<string>(StringComparer.Ordinal);
            foreach (var ancestor in Walk([node.Revision.Id], n => n.Revision.DownRevisions).Where(a => a != node))
            {
                inherited.UnionWith(ancestor.ResolvedDependencies);
            }

            var own = node.ResolvedDependencies.Where(d => !inherited.Contains(d)).ToList();
            node.NormalizedDown = [.. node.Revision.DownRevisions.Concat(own).Distinct(StringComparer.Ordinal)];
            node.HasNormalizedDependencies = own.Count > 0;
        }
    }

    private IEnumerable<Node> Walk(IEnumerable<string> start, Func<Node, IReadOnlyList<string>> next)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<string>(start);
        while (todo.Count > 0)
        {
            var id = todo.Pop();
            if (!seen.Add(id) || !_nodes.TryGetValue(id, out var node))
            {
                continue;
            }

            foreach (var other in next(node))
            {
                todo.Push(other);
            }

            yield return node;
        }
    }

    /// <summary>Kahn's algorithm over every edge; whatever cannot be ordered sits on a cycle or above one.</summary>
    private static List<Node> FindCycle(List<Node> nodes)
    {
        var byId = nodes.ToDictionary(n => n.Revision.Id, StringComparer.Ordinal);
        var pending = nodes.ToDictionary(n => n.Revision.Id, n => n.AllDown.Count, StringComparer.Ordinal);
        var ready = new Queue<Node>(nodes.Where(n => n.AllDown.Count == 0));
        var ordered = 0;
        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            ordered++;
            foreach (var child in node.AllChildren)
            {
                if (--pending[child] == 0)
                {
                    ready.Enqueue(byId[child]);
                }
            }
        }

        return ordered == nodes.Count ? [] : [.. nodes.Where(n => pending[n.Revision.Id] > 0)];
    }

    private static void AddOnce(List<string> list, string id)
    {
        if (!list.Contains(id))
        {
            list.Add(id);
        }
    }

    private static RevisionGraphResult Broken(string summary, params string[] facts) => new(null, AlembicProblem.BrokenGraph(summary, facts));

    private sealed class Node(AlembicRevision revision, int index)
    {
        public AlembicRevision Revision { get; } = revision;

        /// <summary>Position in load order: alembic's tie-breaker.</summary>
        public int Index { get; } = index;

        public List<string> Children { get; } = [];

        public List<string> AllChildren { get; } = [];

        public List<string> ResolvedDependencies { get; } = [];

        /// <summary>down_revision and depends_on together, each once: every edge to what must run first.</summary>
        public IReadOnlyList<string> AllDown => [.. Revision.DownRevisions.Concat(ResolvedDependencies).Distinct(StringComparer.Ordinal)];

        /// <summary>down_revision plus the dependencies no ancestor already has: the edges the upgrade order walks.</summary>
        public IReadOnlyList<string> NormalizedDown { get; set; } = [.. revision.DownRevisions.Distinct(StringComparer.Ordinal)];

        public bool HasNormalizedDependencies { get; set; }
    }
}
