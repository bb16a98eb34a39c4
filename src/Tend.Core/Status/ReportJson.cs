using System.Text.Json.Serialization;

namespace Tend.Core.Status;

/// <summary>Source-generated serialization: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorReportJson))]
[JsonSerializable(typeof(ValidateReportJson))]
[JsonSerializable(typeof(LsReportJson))]
[JsonSerializable(typeof(GraphReportJson))]
[JsonSerializable(typeof(CheckReportJson))]
[JsonSerializable(typeof(HealthReportJson))]
[JsonSerializable(typeof(RunReportJson))]
[JsonSerializable(typeof(RunListJson))]
[JsonSerializable(typeof(InitReportJson))]
public sealed partial class ReportJson : JsonSerializerContext;
