using Tend.Core.Model;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Workflows;

/// <summary>A verified workflow's steps by level: level 0 waits for nothing, level N only for lower levels.</summary>
public static class WorkflowLevels
{
    /// <summary>The steps a step waits for: its depends_on and the steps its <c>when</c> reads.</summary>
    public static IEnumerable<string> Upstream(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var read = step.When is { } when && WhenExpression.Parse(when).Expression is { } expression ? expression.StepsRead : [];
        return step.DependsOn.Select(d => d.StepId).Concat(read).Distinct(StringComparer.Ordinal);
    }

    /// <summary>Levels in file order within each; a workflow with a cycle is a bug of the caller (verify first).</summary>
    public static IReadOnlyList<IReadOnlyList<WorkflowStep>> Of(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var byId = workflow.Steps.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        int Depth(WorkflowStep step)
        {
            if (level.TryGetValue(step.Id, out var known))
            {
                return known;
            }

            if (!visiting.Add(step.Id))
            {
                throw new InvalidOperationException($"cycle through step {step.Id}: verify the workflow first");
            }

            var depth = 0;
            foreach (var id in Upstream(step))
            {
                if (id != step.Id && byId.TryGetValue(id, out var upstream))
                {
                    depth = Math.Max(depth, Depth(upstream) + 1);
                }
            }

            visiting.Remove(step.Id);
            level[step.Id] = depth;
            return depth;
        }

        foreach (var step in byId.Values)
        {
            Depth(step);
        }

        return [.. byId.Values.GroupBy(s => level[s.Id]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<WorkflowStep>)[.. g])];
    }
}
