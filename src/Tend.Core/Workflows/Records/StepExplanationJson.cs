using System.Text.Json.Serialization;

namespace Tend.Core.Workflows.Records;

/// <summary>The JSON of <c>tend why RUN [STEP] --json</c>: snake_case, nulls left out, source-generated (AOT).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<StepExplanation>))]
public sealed partial class StepExplanationJson : JsonSerializerContext;
