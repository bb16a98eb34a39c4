namespace Tend.Core.Status;

/// <summary>Where a rounds component is: what `tend peek` shows and state.json keeps (the throttle survives a daemon restart from here).</summary>
public sealed record RoundsSnapshot(
    int Round,
    string? Phase,
    bool InRound,
    DateTimeOffset? RoundStartedAt,
    int SessionRounds,
    int? MaxRounds,
    string? LastOutcome,
    double? LastDurationSeconds,
    string? LastBucket,
    DateTimeOffset? LastEndedAt,
    DateTimeOffset? NextRoundAt,
    string? ThrottleBucket,
    DateTimeOffset? ThrottledUntil,
    int ThrottleAttempt,
    bool ThrottleFromServer,
    int ShortCrashStreak,
    string SentinelPath,
    bool SentinelPresent,
    string? SentinelReason,
    string StopFilePath,
    bool StopFilePresent,
    string? EndedBy)
{
    /// <summary>The stop triggers that end a session cleanly (the names of their events).</summary>
    public static readonly IReadOnlyList<string> Triggers = ["rounds_sentinel", "rounds_stop_file", "rounds_max_reached"];

    /// <summary>The last session was ended by a stop trigger, not by a failure.</summary>
    public bool EndedByTrigger => EndedBy is { } ended && Triggers.Contains(ended);

    /// <summary>The last round went well: its result line and exit said so, or it sat idle after its result.</summary>
    public bool LastRoundOk => LastOutcome is "ok" or "grace_kill";
}
