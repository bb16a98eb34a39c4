using Tend.Core.Model;

namespace Tend.Core.Status;

/// <summary>A requirement that does not hold yet, and whether it ever can without help.</summary>
/// <param name="Stuck">The requirement has failed, or is itself stuck, or is stopped: it will not come up by itself.</param>
public sealed record UnmetRequirement(
    string Component,
    RequirementCondition Condition,
    ComponentState State,
    bool Stuck)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string ConditionName => Condition.Name();

    public string Describe() => Stuck
        ? $"{Component} ({ConditionName}; it is {State.Words()})"
        : $"{Component} ({ConditionName})";
}
