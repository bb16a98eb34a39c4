using Tend.Core.Doctor;
using Tend.Core.Knowledge;
using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>A host's report with its next steps and actions said as typed on the client (<see cref="HostedCommands"/>).</summary>
internal static class HostedSteps
{
    public static DoctorReport Rewrite(DoctorReport report, string host) => report with
    {
        Findings = [.. report.Findings.Select(f => f with
        {
            Symptoms = [.. f.Symptoms.Select(s => s with
            {
                Next = s.Next is { } next ? HostedCommands.Rewrite(next, host) : null,
                Diagnosis = s.Diagnosis is { } d ? Rewrite(d, host) : null,
            })],
        })],
    };

    public static Diagnosis Rewrite(Diagnosis diagnosis, string host) => diagnosis with { Actions = [.. diagnosis.Actions.Select(a => HostedCommands.Rewrite(a, host))] };
}
