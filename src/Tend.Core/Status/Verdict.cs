using System.Text.Json.Serialization;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Status;

/// <summary>How a component stands against the request to run it.</summary>
[JsonConverter(typeof(VerdictKindJson))]
public enum VerdictKind
{
    /// <summary>On its way: waiting for what it requires, starting, backing off, or not ready yet.</summary>
    Starting,

    /// <summary>Up as its kind means it: healthy, up for min_uptime, completed, or rounds underway or done well.</summary>
    Up,

    /// <summary>It failed and stays so until someone acts (config_broken, crash_loop, failed, exited).</summary>
    Failed,

    /// <summary>It waits for a requirement that cannot come up without help.</summary>
    Stuck,

    /// <summary>Not running and not meant to: never asked for, or stopped on request (tend stop, tend down).</summary>
    Stopped,
}

/// <summary>The verdict kinds as JSON and every face spell them, in the order of their values.</summary>
public sealed class VerdictKindJson() : NamedEnumJsonConverter<VerdictKind>(VerdictKindJson.Names)
{
    public static readonly IReadOnlyList<string> Names = ["starting", "up", "failed", "stuck", "stopped"];
}

/// <summary>The verdict on a component, with the reason in words.</summary>
public sealed record Verdict(VerdictKind Kind, string Reason)
{
    [JsonIgnore]
    public bool IsUp => Kind == VerdictKind.Up;

    /// <summary>Settled badly: failed or stuck. `tend up` exits 1 on these.</summary>
    [JsonIgnore]
    public bool IsBad => Kind is VerdictKind.Failed or VerdictKind.Stuck;

    /// <summary>It will not come up without someone asking: bad, or stopped (a wait for it to come up ends here).</summary>
    [JsonIgnore]
    public bool WillNotComeUp => IsBad || Kind == VerdictKind.Stopped;
}

/// <summary>
/// What "up" means, decided once for every face (`tend up`, start, restart, the update gate, the
/// dashboard): a service with a health check is up when healthy; one without, once it has stayed
/// running for its min_uptime; a job when completed; rounds when a stop trigger ended the session
/// after a good round (unbounded rounds: once underway). A snapshot holds all it needs, so a face
/// that has only the snapshot (from state.json, from a remote daemon) judges the same.
/// </summary>
public static class Verdicts
{
    public static Verdict Judge(ComponentSnapshot s)
    {
        var reason = s.Reason is { Length: > 0 } r ? r : s.State.Words();
        if (s.State.IsFailure())
        {
            return new Verdict(VerdictKind.Failed, reason);
        }

        if (s.State == ComponentState.Stopped)
        {
            // Asked to run and not yet on its way is a moment of starting; not asked, it is where it was told to be.
            return s.Active
                ? new Verdict(VerdictKind.Starting, "about to start")
                : new Verdict(VerdictKind.Stopped, s.Reason is { Length: > 0 } ? $"stopped: {s.Reason}" : "stopped");
        }

        if (s.State == ComponentState.Waiting && s.Blockers?.FirstOrDefault(b => b.Stuck) is { } blocker)
        {
            return new Verdict(VerdictKind.Stuck, $"waiting for {blocker.Component}, which is {blocker.State.Words()}");
        }

        return s.Kind switch
        {
            ComponentKind.Job => s.State == ComponentState.Completed ? Up(reason) : Starting(s),
            ComponentKind.Rounds => Rounds(s, reason),
            ComponentKind.External => s.State is ComponentState.Healthy or ComponentState.Running ? Up(reason) : Starting(s),
            // With a probe, healthy is up; without, running for min_uptime is.
            _ => s.State == ComponentState.Healthy || (s.Health is null && s.State == ComponentState.Running && s.ReadyAt is not null) ? Up(Service(s)) : Starting(s),
        };
    }

    private static Verdict Rounds(ComponentSnapshot s, string reason)
    {
        if (s.Rounds is not { } rounds)
        {
            return Starting(s);
        }

        if (s.State == ComponentState.Completed)
        {
            return rounds.LastRoundOk || rounds.SessionRounds == 0
                ? Up(reason)
                : new Verdict(VerdictKind.Failed, $"{reason}, but its last round {(rounds.LastOutcome is { } outcome ? outcome.Replace('_', ' ') : "failed")}");
        }

        // Unbounded rounds never complete: they are up once the first round of the session is underway.
        var underway = rounds.SessionRounds > 0 && s.State is ComponentState.Running or ComponentState.BetweenRounds or ComponentState.Throttled;
        return rounds.MaxRounds is null && underway ? Up($"round {rounds.Round} {(rounds.InRound ? "running" : "done")}") : Starting(s);
    }

    private static string Service(ComponentSnapshot s) => s.State == ComponentState.Healthy
        ? s.Reason is { Length: > 0 } reason ? $"healthy: {reason}" : "healthy"
        : s.Pid is { } pid ? $"running (pid {pid})" : "running";

    private static Verdict Up(string reason) => new(VerdictKind.Up, reason);

    private static Verdict Starting(ComponentSnapshot s) => new(VerdictKind.Starting, s.State switch
    {
        ComponentState.Waiting when s.WaitingFor is { Length: > 0 } waiting => $"waiting for {waiting}",
        ComponentState.Running when s.Pid is { } pid => $"running (pid {pid}), not ready yet",
        _ when s.Reason is { Length: > 0 } reason => $"{s.State.Words()}: {reason}",
        _ => s.State.Words(),
    });
}
