using System.Text.RegularExpressions;
using Tend.Core.Doctor;
using Tend.Core.Knowledge;

namespace Tend.Cli.Remote;

/// <summary>
/// A next step the host wrote for its own shell, said as typed from here: a verb that takes
/// <c>--host</c> gets it (<c>tend logs --host pi web -n 100</c>), `tend doctor` is `tend why
/// --host pi`, and any other tend verb (up, preflight...) is marked as one to type on the host.
/// </summary>
internal static partial class HostedSteps
{
    public static string Rewrite(string step, string host)
    {
        ArgumentNullException.ThrowIfNull(step);
        return TendVerb().Replace(step, m => m.Groups["verb"].Value switch
        {
            "doctor" => $"tend why --host {host}",
            var verb when RemoteHosts.Verbs.Contains(verb) => $"tend {verb} --host {host}",
            var verb => $"(on {host}) tend {verb}",
        });
    }

    /// <summary>The report with its next steps and actions said as typed from here.</summary>
    public static DoctorReport Rewrite(DoctorReport report, string host) => report with
    {
        Findings = [.. report.Findings.Select(f => f with
        {
            Symptoms = [.. f.Symptoms.Select(s => s with
            {
                Next = s.Next is { } next ? Rewrite(next, host) : null,
                Diagnosis = s.Diagnosis is { } d ? Rewrite(d, host) : null,
            })],
        })],
    };

    public static Diagnosis Rewrite(Diagnosis diagnosis, string host) => diagnosis with { Actions = [.. diagnosis.Actions.Select(a => Rewrite(a, host))] };

    // A tend command: "tend" and a verb, not "tend:" nor a word that only begins with tend.
    [GeneratedRegex(@"(?<![\w./-])tend (?<verb>status|peek|events|logs|why|alerts|monitor|start|stop|restart|doctor|up|down|kill|reload|preflight|validate|health|graph|update|daemon|workflow|run|metrics|backup|restore|dashboard|diag)\b")]
    private static partial Regex TendVerb();
}
