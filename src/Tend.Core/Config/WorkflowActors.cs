using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>Fills in what each <c>actor</c> step runs from the stack's <c>[actors]</c>; an actor not there stays unresolved, for the verifier to name.</summary>
public static class WorkflowActors
{
    public static Workflow Resolve(Workflow workflow, IReadOnlyList<WorkflowActor> actors)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(actors);
        return workflow with
        {
            Steps = [.. workflow.Steps.Select(step => step.Run is StepRun.Actor actor && actors.FirstOrDefault(a => a.Name == actor.Name) is { } found
                ? step with { Run = actor with { Resolved = found.Run } }
                : step)],
        };
    }
}
