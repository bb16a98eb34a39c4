using Tend.Core.Model;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Workflows.Running;

/// <summary>A step in the plan: its level, and what would be omitted if it did not succeed.</summary>
/// <param name="Level">0 for steps that need nothing; one more than the deepest step it waits for.</param>
/// <param name="OmittedWithout">The steps that would be omitted were it skipped or failed (those that need it to succeed, and theirs).</param>
public sealed record PlannedStep(WorkflowStep Step, int Level, IReadOnlyList<string> OmittedWithout);

/// <summary>What <c>tend workflow run --dry-run</c> shows: steps by level (those of a level can run together), and what hangs on each.</summary>
public static class WorkflowPlan
{
    public static IReadOnlyList<PlannedStep> Of(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        int LevelOf(WorkflowStep step, HashSet<string> visiting)
        {
            if (levels.TryGetValue(step.Id, out var known))
            {
                return known;
            }

            if (!visiting.Add(step.Id))
            {
                return 0; // a cycle: verify reports it; the plan does not loop on it.
            }

            var waits = step.DependsOn.Select(d => d.StepId).Concat(Reads(step)).Select(workflow.Find).OfType<WorkflowStep>();
            var level = waits.Select(w => LevelOf(w, visiting) + 1).DefaultIfEmpty(0).Max();
            visiting.Remove(step.Id);
            return levels[step.Id] = level;
        }

        return [.. workflow.Steps
            .Select(s => new PlannedStep(s, LevelOf(s, []), Omitted(workflow, s.Id)))
            .OrderBy(p => p.Level)];
    }

    private static IEnumerable<string> Reads(WorkflowStep step) =>
        step.When is { } when && WhenExpression.Parse(when).Expression is { } parsed ? parsed.StepsRead : [];

    private static List<string> Omitted(Workflow workflow, string id)
    {
        var lost = new HashSet<string>(StringComparer.Ordinal) { id };
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var step in workflow.Steps)
            {
                if (!lost.Contains(step.Id) && step.DependsOn.Any(d => d.Condition == DependencyCondition.Succeeded && lost.Contains(d.StepId)))
                {
                    changed = lost.Add(step.Id);
                }
            }
        }

        lost.Remove(id);
        return [.. workflow.Steps.Select(s => s.Id).Where(lost.Contains)];
    }
}
