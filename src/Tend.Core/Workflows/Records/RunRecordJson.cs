using System.Text.Json.Serialization;

namespace Tend.Core.Workflows.Records;

/// <summary>The JSON of run.json and <c>tend workflow show --json</c>: snake_case, nulls left out, source-generated (AOT).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(IReadOnlyList<RunRecord>))]
[JsonSerializable(typeof(ReviewDecision))]
public sealed partial class RunRecordJson : JsonSerializerContext;
