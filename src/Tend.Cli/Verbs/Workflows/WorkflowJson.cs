using System.Text.Json.Serialization;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>`tend workflow run --detach --json`: the run the daemon started, and where its record is.</summary>
/// <param name="Pid">The daemon's: the run's runner.</param>
internal sealed record DetachedRunJson(string Run, string Workflow, string Directory, int Pid)
{
    public int Schema { get; init; } = 1;

    public string Outcome { get; init; } = "running";
}

/// <summary>`tend workflow run --dry-run --json`: the plan <see cref="WorkflowPlanView"/> prints.</summary>
internal sealed record WorkflowPlanJson(string Workflow, int Parallel, IReadOnlyList<PlannedStepJson> Steps)
{
    public int Schema { get; init; } = 1;
}

/// <param name="Level">1 for the steps that wait for nothing, as the text plan numbers them.</param>
/// <param name="Command">What it would run, its inputs filled in.</param>
/// <param name="OmittedWithout">The steps omitted if this one is skipped or fails.</param>
internal sealed record PlannedStepJson(string Id, string? Name, int Level, string Command, string? When, IReadOnlyList<DependencyJson> DependsOn, IReadOnlyList<string> OmittedWithout);

/// <param name="Condition">succeeded (the default), or any: it runs once that step ended whatever its outcome.</param>
internal sealed record DependencyJson(string Step, string Condition);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DetachedRunJson))]
[JsonSerializable(typeof(WorkflowPlanJson))]
internal sealed partial class WorkflowJson : JsonSerializerContext;
