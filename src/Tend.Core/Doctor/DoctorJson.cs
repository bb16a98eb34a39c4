using System.Text.Json.Serialization;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Doctor;

// The shape of `tend doctor --json`, documented in docs/json.md. Fields are only ever added.

public sealed record SymptomJson(string Source, string Status, string Summary, IReadOnlyList<string> Facts, DiagnosisJson? Diagnosis, string? Next);

public sealed record ConsequenceJson(string Component, string Summary);

public sealed record FindingJson(string? Component, string Kind, string Status, IReadOnlyList<SymptomJson> Symptoms, IReadOnlyList<ConsequenceJson> Blocks);

public sealed record NotCheckedJson(string Component, string Check, string Needs);

public sealed record DoctorReportJson(
    string Stack,
    string Status,
    string Daemon,
    int ComponentsRunning,
    int ChecksRun,
    double DurationMs,
    IReadOnlyList<FindingJson> Findings,
    IReadOnlyList<NotCheckedJson> NotChecked)
{
    public static DoctorReportJson Of(DoctorReport report, TimeSpan duration) => new(
        report.Stack,
        report.Status.Word(),
        report.Daemon,
        report.ComponentsRunning,
        report.ChecksRun,
        Math.Round(duration.TotalMilliseconds, 1),
        [.. report.Findings.Select(f => new FindingJson(
            f.Component,
            f.Kind,
            f.Severity.Word(),
            [.. f.Symptoms.Select(s => new SymptomJson(s.Source.ToString().ToLowerInvariant(), s.Severity.Word(), s.Summary, s.Facts, ReportMapper.Diagnosis(s.Diagnosis), s.Next))],
            [.. f.Blocks.Select(b => new ConsequenceJson(b.Component, b.Summary))]))],
        [.. report.NotChecked.Select(n => new NotCheckedJson(n.Component, n.Check, n.Needs))]);
}

/// <summary>Source-generated serialization: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DoctorReportJson))]
public sealed partial class DoctorJson : JsonSerializerContext;
