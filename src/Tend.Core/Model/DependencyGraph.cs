namespace Tend.Core.Model;

/// <summary>The <c>requires</c> edges of a stack: closures, start order by levels, and cycles.</summary>
public sealed class DependencyGraph
{
    private readonly IReadOnlyList<Component> _components;
    private readonly Dictionary<string, Component> _byName;

    public DependencyGraph(IReadOnlyList<Component> components)
    {
        _components = components;
        _byName = components.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The given components and everything they require, transitively, in stack-file order.</summary>
    public IReadOnlyList<Component> Closure(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(roots);
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (!seen.Add(name) || !_byName.TryGetValue(name, out var component))
            {
                continue;
            }

            foreach (var requirement in component.Requires)
            {
                stack.Push(requirement.Component);
            }
        }

        return [.. _components.Where(c => seen.Contains(c.Name))];
    }

    /// <summary>
    /// Start order as levels: level 0 requires nothing, level N requires only lower levels, so
    /// each level can start in parallel once the one before it is ready.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Component>> Levels(IReadOnlyList<Component>? subset = null)
    {
        var members = subset ?? _components;
        var inSet = members.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        int Depth(Component component)
        {
            if (level.TryGetValue(component.Name, out var known))
            {
                return known;
            }

            if (!visiting.Add(component.Name))
            {
                throw new InvalidOperationException($"cycle through {component.Name}: the loader must reject cycles");
            }

            var depth = 0;
            foreach (var requirement in component.Requires)
            {
                if (inSet.Contains(requirement.Component) && _byName.TryGetValue(requirement.Component, out var required))
                {
                    depth = Math.Max(depth, Depth(required) + 1);
                }
            }

            visiting.Remove(component.Name);
            level[component.Name] = depth;
            return depth;
        }

        foreach (var component in members)
        {
            Depth(component);
        }

        return [.. members.GroupBy(c => level[c.Name]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<Component>)[.. g])];
    }

    public IReadOnlyList<Component> StartOrder(IReadOnlyList<Component>? subset = null) => [.. Levels(subset).SelectMany(l => l)];

    /// <summary>The components that require <paramref name="name"/> directly.</summary>
    public IReadOnlyList<Component> Dependents(string name) =>
        [.. _components.Where(c => c.Requires.Any(r => r.Component == name))];

    /// <summary>A cycle as the names along it, first name repeated at the end; null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlyList<string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        IReadOnlyList<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (!edges.ContainsKey(next))
                {
                    continue;
                }

                var seen = state.GetValueOrDefault(next);
                if (seen == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (seen == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in edges.Keys)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
