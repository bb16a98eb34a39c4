using Tend.Core.Alembic;

namespace Tend.Core.Tests.Alembic;

/// <summary>Small hand-written histories for the graph and verdict specs.</summary>
public static class Revisions
{
    public static AlembicRevision Rev(string id, params string[] down) => new(id, down, [], [], $"versions/{id}.py", $"revision {id}");

    public static AlembicRevision WithDependencies(this AlembicRevision revision, params string[] dependencies) => revision with { DependsOn = dependencies };

    public static AlembicRevision WithLabels(this AlembicRevision revision, params string[] labels) => revision with { BranchLabels = labels };

    public static RevisionGraph Graph(params AlembicRevision[] revisions)
    {
        var result = RevisionGraph.Build(revisions);
        result.Problem.ShouldBeNull();
        return result.Graph!;
    }

    /// <summary>Every revision comes after what it revises and depends on, when both are in the list.</summary>
    public static void ShouldBeInUpgradeOrder(this IReadOnlyList<string> order, RevisionGraph graph)
    {
        var position = order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        foreach (var id in order)
        {
            foreach (var before in graph[id].DownRevisions.Concat(graph.DependenciesOf(id)).Where(position.ContainsKey))
            {
                position[before].ShouldBeLessThan(position[id], $"{before} must run before {id}");
            }
        }
    }
}
