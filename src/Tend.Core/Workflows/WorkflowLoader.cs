using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Workflows;

/// <summary>A workflow as loaded, with the stack it belongs to, or the problems that keep it from loading.</summary>
/// <param name="Stack">The stack file the workflow runs in (its components, actors and state directory); null when none was found.</param>
public sealed record WorkflowLoad(Workflow? Workflow, StackFile? Stack, IReadOnlyList<ConfigProblem> Problems)
{
    public bool Succeeded => Workflow is not null && !Problems.Any(p => p.IsError);
}

/// <summary>
/// Finds and reads a workflow: a NAME is a <c>[workflows.NAME]</c> table of the stack file; a path
/// (ending in .yaml, .yml) is a file of the orchestrator's YAML format, read beside the stack file
/// whose <c>[actors]</c> its steps name. PLACEHOLDER until the readers land: always a problem.
/// </summary>
public static class WorkflowLoader
{
    /// <param name="nameOrPath">What the user typed.</param>
    /// <param name="stack">The stack file found as every verb finds it (<c>-f</c>, or upwards from the current directory); null when there is none.</param>
    public static WorkflowLoad Load(string nameOrPath, StackFile? stack)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        return new WorkflowLoad(null, stack, [new ConfigProblem(ProblemSeverity.Error, new SourceLocation(nameOrPath, 0, 0), "workflows cannot be read yet")]);
    }
}
