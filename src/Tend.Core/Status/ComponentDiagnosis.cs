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
        if (!s.State.IsFailure() && s.State is not (ComponentState.Backoff or ComponentState.Unhealthy))
        {
            return null;
        }

        if (s.State == ComponentState.Failed && LatestPreflightFailure(events) is { } preflight)
        {
            return new Diagnosis("preflight", preflight.GetText("cause") ?? "a pre-flight check failed", preflight.GetList("actions") ?? []);
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["summary"] = s.Reason ?? s.State.Name() };
        if (stack.Find(s.Name)?.Command is { Count: > 0 } argv)
        {
            var command = Redactor.RedactLines(argv, secrets ?? StackSecrets.Of(stack, Environment.GetEnvironmentVariable));
            data["command"] = string.Join(' ', command);
            data["program"] = command[0];
        }

        var subject = new DiagnosisSubject("run", "exit_code", s.Name, string.Join('\n', tail), s.LastSignal is { } signal ? 128 + signal : s.LastExitCode, data);
        return RuleBook.With(stack.DiagnoseRules).Explain(subject);
    }

    /// <summary>A pre-flight failure that is what the component last did: one that a later run followed (its pre-flight passed) belongs to the past.</summary>
    private static EventRecord? LatestPreflightFailure(IReadOnlyList<EventRecord> events)
    {
        var last = events.LastOrDefault(e => e.Kind == EventKinds.PreflightFailed.Name || e.Kind == EventKinds.ComponentStarting.Name);
        return last?.Kind == EventKinds.PreflightFailed.Name ? last : null;
    }
}
