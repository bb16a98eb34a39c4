using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Supervision;

/// <summary>Everything known about a component at one moment: what `tend status` and `tend peek` show.</summary>
public sealed record ComponentSnapshot(
    string Name,
    string Kind,
    string State,
    string? Reason,
    DateTimeOffset Since,
    int Run,
    int? Pid,
    long? PidStartTicks,
    DateTimeOffset? StartedAt,
    int Restarts,
    string? Health,
    int ProbeFailures,
    string? LastProbe,
    int? LastExitCode,
    int? LastSignal,
    DateTimeOffset? LastExitAt,
    DateTimeOffset? NextStartAt,
    double? BackoffSeconds,
    string? WaitingFor,
    RoundsSnapshot? Rounds = null);
