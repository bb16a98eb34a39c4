using System.Text.Json.Serialization;

namespace Tend.Core.Workflows.Stats;

/// <summary>What <c>tend workflow stats --json</c> prints (docs/json.md, "workflow stats").</summary>
/// <param name="Schema">The shape's version: fields are only ever added.</param>
public sealed record WorkflowStatsDocument(int Schema, double WindowSeconds, IReadOnlyList<WorkflowStats> Workflows)
{
    public const int Version = 1;
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WorkflowStatsDocument))]
public sealed partial class WorkflowStatsJson : JsonSerializerContext;
