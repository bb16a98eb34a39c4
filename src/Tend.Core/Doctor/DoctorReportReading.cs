using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Doctor;

/// <summary>
/// A report read back from its JSON (<see cref="DoctorReportJson"/>): another host's `tend api
/// --stdio` sends it so, and the text is rendered here from the same report the host would render.
/// </summary>
public static class DoctorReportReading
{
    public static DoctorReport ToReport(this DoctorReportJson json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new DoctorReport(
            json.Stack,
            json.Daemon,
            [.. json.Findings.Select(f => new Finding(
                f.Component,
                f.Kind,
                [.. f.Symptoms.Select(s => new Symptom(Source(s.Source), Status(s.Status), s.Summary, s.Facts, s.Diagnosis is { } d ? new Diagnosis(d.Rule, d.Cause, d.Actions) : null, s.Next))],
                [.. f.Blocks.Select(b => new Consequence(b.Component, b.Summary))]))],
            [.. json.NotChecked.Select(n => new NotChecked(n.Component, n.Check, n.Needs))],
            json.ChecksRun,
            json.ComponentsRunning);
    }

    /// <summary>How long the host took, as its report says.</summary>
    public static TimeSpan Duration(this DoctorReportJson json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TimeSpan.FromMilliseconds(json.DurationMs);
    }

    // Spelled out rather than parsed by name: a newer host's word is read as the nearest one known.
    private static SymptomSource Source(string word) => word switch
    {
        "config" => SymptomSource.Config,
        "preflight" => SymptomSource.Preflight,
        "health" => SymptomSource.Health,
        "daemon" => SymptomSource.Daemon,
        _ => SymptomSource.State,
    };

    private static CheckStatus Status(string word) => word switch
    {
        "pass" => CheckStatus.Pass,
        "warn" => CheckStatus.Warn,
        "skip" => CheckStatus.Skip,
        _ => CheckStatus.Fail,
    };
}
