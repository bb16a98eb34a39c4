using Tend.Core.Model;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Workflows.Running;

/// <summary>What a pending step does next.</summary>
public enum Readiness
{
    /// <summary>Something it depends on, or its condition reads, has not ended.</summary>
    Wait,
    Start,
    Skip,
    Omit,

    /// <summary>Its condition cannot be decided (a file that is not JSON...): it fails, as a step that ran and failed.</summary>
    Fail,
}

/// <summary>
/// Decides a pending step once the steps it depends on have ended: the regressions of Argo's
/// surprises live here (argo-workflows #1386, #9370, #10321, docs/workflows.md).
/// </summary>
public static class StepReadiness
{
    /// <param name="stateOf">Each step's state now (an id the workflow lacks reads as omitted).</param>
    /// <param name="when">Its parsed condition; null when it has none.</param>
    public static (Readiness Next, string? Reason) Decide(WorkflowStep step, Func<string, StepState> stateOf, WhenExpression? when, IWhenContext context)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(stateOf);
        if (step.DependsOn.Any(d => !stateOf(d.StepId).HasEnded()) || (when?.StepsRead.Any(id => !stateOf(id).HasEnded()) ?? false))
        {
            return (Readiness.Wait, null);
        }

        // A dependency asked to succeed and did not: the step is omitted, whatever its condition
        // would say. "any" opts out: it runs once the step ended however it ended.
        var unmet = step.DependsOn.Where(d => d.Condition == DependencyCondition.Succeeded && stateOf(d.StepId) != StepState.Succeeded).ToList();
        if (unmet.Count > 0)
        {
            if (step.DependsOn.All(d => stateOf(d.StepId) == StepState.Skipped))
            {
                return (Readiness.Omit, $"every step it depends on was skipped ({string.Join(", ", step.DependsOn.Select(d => d.StepId))})");
            }

            return (Readiness.Omit, $"needs {string.Join(", ", unmet.Select(d => $"{d.StepId} to succeed ({d.StepId} {Said(stateOf(d.StepId))})"))}");
        }

        if (when is null)
        {
            return (Readiness.Start, null);
        }

        var (value, error) = when.Evaluate(context);
        if (error is not null)
        {
            return (Readiness.Fail, $"its when ({step.When}) cannot be decided: {error}");
        }

        return value ? (Readiness.Start, null) : (Readiness.Skip, $"when {step.When} was false");
    }

    private static string Said(StepState state) => state switch
    {
        StepState.Failed => "failed",
        StepState.Skipped => "was skipped",
        StepState.Omitted => "was omitted",
        _ => state.Name(),
    };
}
