using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Status;

/// <summary>The knowledge base's reading of a component that ended badly: its pre-flight's own diagnosis, or the rules matched against its exit and last output.</summary>
public static class ComponentDiagnosis
{
    /// <param name="tail">The last lines of its latest run.</param>
    /// <param name="events">Its recent events, oldest first.</param>
    /// <param name="secrets">The stack's known secrets, masked in the command line a cause may quote (by default, as <see cref="StackSecrets"/> finds them).</param>
    public static Diagnosis? For(StackFile stack, ComponentSnapshot s, IReadOnlyList<string> tail, IReadOnlyList<EventRecord> events, SecretValues? secrets = null)
    {
        // An external has no runs and no output of Tend's: its health check explains it (the CLI runs it).
        if (s.Kind == ComponentKind.External)
        {
            return null;
        }

        var endedByTend = EndedByTend(events);
        if (!s.State.IsFailure() && s.State is not (ComponentState.Backoff or ComponentState.Unhealthy) && endedByTend is null)
        {
            return null;
        }

        if (s.State == ComponentState.Failed && LatestPreflightFailure(events) is { } preflight)
        {
            return new Diagnosis("preflight", preflight.GetText("cause") ?? "a pre-flight check failed", preflight.GetList("actions") ?? []);
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["summary"] = s.Reason ?? s.State.Words() };
        if (stack.Find(s.Name)?.Command is { Count: > 0 } argv)
        {
            var command = Redactor.RedactLines(argv, secrets ?? StackSecrets.Of(stack, Environment.GetEnvironmentVariable));
            data["command"] = string.Join(' ', command);
            data["program"] = command[0];
        }

        if (endedByTend is { } ended)
        {
            // Tend's own signal ended the run: the exit code (143, 137) says nothing about the program.
            foreach (var (key, value) in ended.Facts)
            {
                data[key] = value;
            }

            return RuleBook.With(stack.DiagnoseRules).Explain(new DiagnosisSubject("run", ended.ErrorClass, s.Name, string.Join('\n', tail), null, data));
        }

        var subject = new DiagnosisSubject("run", "exit_code", s.Name, string.Join('\n', tail), s.LastSignal is { } signal ? 128 + signal : s.LastExitCode, data);
        return RuleBook.With(stack.DiagnoseRules).Explain(subject);
    }

    private sealed record TendEnded(string ErrorClass, Dictionary<string, string> Facts);

    /// <summary>
    /// The latest run ended by tend itself, not by the program: a liveness restart or a round's
    /// timeout, found between the run's start and its exit. Null when the program ended it (or
    /// nothing has ended yet).
    /// </summary>
    private static TendEnded? EndedByTend(IReadOnlyList<EventRecord> events)
    {
        var exit = events.Select((e, i) => (e, i)).LastOrDefault(x => x.e.Kind == EventKinds.ComponentExited.Name);
        if (exit.e is null)
        {
            return null;
        }

        var run = exit.e.GetInteger("run")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        for (var i = exit.i - 1; i >= 0 && events[i].Kind != EventKinds.ComponentStarted.Name; i--)
        {
            var e = events[i];
            if (e.Kind == EventKinds.LivenessFailed.Name && e.GetText("action") == "restart")
            {
                return new TendEnded("liveness_restart", new(StringComparer.Ordinal) { ["probe"] = e.GetText("summary") ?? "the health probe failed", ["failures"] = $"{e.GetInteger("consecutive_failures")}", ["run"] = run });
            }

            if (e.Kind == EventKinds.Rounds.RoundTimeoutKill.Name)
            {
                var timeout = e.GetInteger("timeout_ms") is { } ms ? Text.Quantities.FormatDuration(TimeSpan.FromMilliseconds(ms)) : "its limit";
                return new TendEnded("round_timeout", new(StringComparer.Ordinal) { ["timeout"] = timeout, ["run"] = run });
            }
        }

        return null;
    }

    /// <summary>A pre-flight failure that is what the component last did: one that a later run followed (its pre-flight passed) belongs to the past.</summary>
    private static EventRecord? LatestPreflightFailure(IReadOnlyList<EventRecord> events)
    {
        var last = events.LastOrDefault(e => e.Kind == EventKinds.PreflightFailed.Name || e.Kind == EventKinds.ComponentStarting.Name);
        return last?.Kind == EventKinds.PreflightFailed.Name ? last : null;
    }
}
