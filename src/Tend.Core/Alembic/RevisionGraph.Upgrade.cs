namespace Tend.Core.Alembic;

public sealed partial class RevisionGraph
{
    /// <summary>
    /// The revisions <c>alembic upgrade heads</c> would run for a database whose version table
    /// holds <paramref name="current"/> (empty for a fresh or downgraded-to-base database), in
    /// the order alembic runs them: everything the heads need minus everything the current
    /// revisions already imply, sorted by alembic's own algorithm.
    /// </summary>
    public IReadOnlyList<string> PendingUpgrades(IReadOnlyCollection<string> current)
    {
        var targets = RealHeads;
        var needed = Ancestors(targets);
        needed.ExceptWith(Ancestors(current));
        var order = DowngradeOrder(needed, targets);
        order.Reverse();
        return order;
    }

    /// <summary>
    /// A port of alembic's <c>RevisionMap._topological_sort</c>: starting from the heads (ordered
    /// by load order), walk down one branch as long as no other branch still needs the revision
    /// at hand; when one does, switch to that branch first. The result runs from heads to bases,
    /// so an upgrade reverses it. Following alembic step by step, rather than any valid
    /// topological order, is what lets the pending list read the way `alembic upgrade` prints it.
    /// </summary>
    private List<string> DowngradeOrder(HashSet<string> revisions, IReadOnlyList<string> heads)
    {
        var todo = new HashSet<string>(revisions, StringComparer.Ordinal);
        var currentHeads = heads.Where(todo.Contains).Distinct(StringComparer.Ordinal).OrderBy(h => _nodes[h].Index).ToList();
        var ancestorsByIndex = currentHeads.Select(h => Ancestors([h])).ToList();
        var output = new List<string>(todo.Count);
        var candidateIndex = 0;
        while (currentHeads.Count > 0)
        {
            var candidate = currentHeads[candidateIndex];
            var other = ancestorsByIndex.FindIndex(a => a.Contains(candidate));
            while (other == candidateIndex)
            {
                other = ancestorsByIndex.FindIndex(other + 1, a => a.Contains(candidate));
            }

            if (other >= 0)
            {
                // Another branch still needs this revision: finish that branch first.
                candidateIndex = other;
                continue;
            }

            if (todo.Remove(candidate))
            {
                output.Add(candidate);
            }

            var node = _nodes[candidate];
            var headsToAdd = node.NormalizedDown.Where(r => todo.Contains(r) && !currentHeads.Contains(r)).ToList();
            if (headsToAdd.Count == 0)
            {
                currentHeads.RemoveAt(candidateIndex);
                ancestorsByIndex.RemoveAt(candidateIndex);
                candidateIndex = Math.Max(candidateIndex - 1, 0);
            }
            else if (!node.HasNormalizedDependencies && node.Revision.DownRevisions.Count == 1)
            {
                currentHeads[candidateIndex] = headsToAdd[0];
                ancestorsByIndex[candidateIndex].Remove(candidate);
            }
            else
            {
                currentHeads[candidateIndex] = headsToAdd[0];
                currentHeads.AddRange(headsToAdd.Skip(1));
                ancestorsByIndex[candidateIndex] = Ancestors([headsToAdd[0]]);
                ancestorsByIndex.AddRange(headsToAdd.Skip(1).Select(h => Ancestors([h])));
            }
        }

        // The walk reaches every revision below the heads; anything left would be a bug here, and
        // is appended rather than lost so the pending count stays true.
        output.AddRange(revisions.Where(todo.Contains).OrderBy(r => _nodes[r].Index));
        return output;
    }
}
