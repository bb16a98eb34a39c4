using Tend.Core.Model;

namespace Tend.Core.Status;

/// <summary>
/// Everything known about a component at one moment: what `tend status` and `tend peek` show,
/// what state.json keeps, and what every face judges it by (<see cref="Verdict"/>).
/// </summary>
/// <param name="ReadyAt">When the current run became ready: its probe passed, or (without one) it stayed up for min_uptime.</param>
/// <param name="Blockers">Requirements not met while it waits, with their states.</param>
public sealed record ComponentSnapshot(
    string Name,
    ComponentKind Kind,
    ComponentState State,
    string? Reason,
    DateTimeOffset Since,
    int Run,
    int? Pid,
    long? PidStartTicks,
    DateTimeOffset? StartedAt,
    int Restarts,
    ProbeHealth? Health,
    int ProbeFailures,
    string? LastProbe,
    int? LastExitCode,
    int? LastSignal,
    DateTimeOffset? LastExitAt,
    DateTimeOffset? NextStartAt,
    double? BackoffSeconds,
    string? WaitingFor,
    RoundsSnapshot? Rounds = null)
{
    public DateTimeOffset? ReadyAt { get; init; }

    public IReadOnlyList<UnmetRequirement>? Blockers { get; init; }

    /// <summary>The current run's CPU, memory and processes at the last sample; null before the first, and when nothing runs.</summary>
    public ResourceUsage? Usage { get; init; }

    /// <summary>It is meant to run: a session was asked for and not stopped since. A stopped component that is not is where it was told to be, not failed.</summary>
    public bool Active { get; init; }

    /// <summary>Up, failed, stuck or still starting, and why: the one judgement every face shows.</summary>
    public Verdict Verdict => Verdicts.Judge(this);
}
