
namespace Tend.Core.Model;

/// <summary>
/// One entry of the stack file's <c>[actors]</c> table: the name a YAML step's <c>actor</c> says,
/// and what it runs (an argv, or a component's named command).
/// </summary>
public sealed record WorkflowActor(string Name, StepRun Run) : Located;
