using System.CommandLine;
using Tend.Cli.Output;
using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Doctor;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend doctor</c>: the one command to type when something is wrong. It runs the pre-flight of
/// what does not run, the probes of what does and of the externals, reads the daemon's account
/// when one answers, and prints one report ordered by what blocks what.
/// </summary>
internal static class DoctorVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("doctor", "Find what is wrong with the stack: checks, probes and the daemon's account in one report, root causes first");
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), token));
        return command;
    }

    public static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStack([], out var stack, out var exitCode))
        {
            return exitCode;
        }

        await using var connection = new DaemonConnection(stack);
        var (report, duration) = await ExamineAsync(stack, connection, cli.Time, cancellationToken);
        return Show(cli, report, duration);
    }

    /// <summary>
    /// The report, made here: the checks and probes run on this host. `tend doctor`, `tend why`
    /// and `tend api --stdio` (for `tend why --host`) all make it so.
    /// </summary>
    public static async Task<(DoctorReport Report, TimeSpan Duration)> ExamineAsync(StackFile stack, DaemonConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var state = await StackState.ReadAsync(connection, cancellationToken);
        var live = state.Live ? state.Snapshot : null;
        var plan = CheckPlanner.Doctor(stack, DoctorExamination.RunningNow(live));
        var (results, _) = await CheckSession.RunAsync(stack, plan, time, cancellationToken);
        var readings = await ReadStatesAsync(stack, live, new StackFacts(connection, time), cancellationToken);
        var report = DoctorExamination.Examine(stack, new DoctorEvidence(results, live, readings, state.Problem, state.Orphans));
        return (report, time.GetElapsedTime(started));
    }

    /// <summary>
    /// The report as JSON or text, and its exit code (1 when something fails). <paramref name="again"/>
    /// is the command that asks again, as typed where the user stands.
    /// </summary>
    public static int Show(CliContext cli, DoctorReport report, TimeSpan duration, string again = "tend doctor")
    {
        if (cli.Json)
        {
            CliContext.WriteJson(DoctorReportJson.Of(report, duration), DoctorJson.Default.DoctorReportJson);
        }
        else
        {
            DoctorView.Render(cli.Terminal.Out, report, duration, again);
        }

        return report.Status == CheckStatus.Fail ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>What `tend why` would say of each component the daemon holds in a bad state, from its events and the end of its log.</summary>
    private static async Task<Dictionary<string, StateReading>> ReadStatesAsync(StackFile stack, StackSnapshot? live, StackFacts facts, CancellationToken cancellationToken)
    {
        var readings = new Dictionary<string, StateReading>(StringComparer.Ordinal);
        var secrets = StackSecrets.Of(stack, Environment.GetEnvironmentVariable);
        foreach (var s in live?.Components ?? [])
        {
            if (s.Kind == ComponentKind.External || !(s.Verdict.Kind == VerdictKind.Failed || s.State is ComponentState.Backoff or ComponentState.Unhealthy))
            {
                continue;
            }

            var events = await facts.EventsAsync(new EventFilter { Components = [s.Name] }, 400, follow: false, cancellationToken).ToListAsync(cancellationToken);
            var lines = await facts.LogsAsync(s.Name, s.Run, 8, follow: false, cancellationToken).ToListAsync(cancellationToken);
            var tail = Redactor.RedactLines(lines.Select(l => l.Text), secrets);
            readings[s.Name] = new StateReading(tail, ComponentDiagnosis.For(stack, s, tail, events, secrets));
        }

        return readings;
    }
}
