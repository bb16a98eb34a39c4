using Tend.Core.Status;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>The live, mutable counterpart of <see cref="RoundsSnapshot"/>, guarded by its runner's lock.</summary>
internal sealed class RoundsProgress
{
    public int Round { get; set; }

    public string? Phase { get; set; }

    public bool InRound { get; set; }

    public DateTimeOffset? RoundStartedAt { get; set; }

    public int SessionRounds { get; set; }

    public int? MaxRounds { get; set; }

    public string? LastOutcome { get; set; }

    public double? LastDurationSeconds { get; set; }

    public string? LastBucket { get; set; }

    public DateTimeOffset? LastEndedAt { get; set; }

    public DateTimeOffset? NextRoundAt { get; set; }

    public string? ThrottleBucket { get; set; }

    public DateTimeOffset? ThrottledUntil { get; set; }

    public int ThrottleAttempt { get; set; }

    public bool ThrottleFromServer { get; set; }

    public int ShortCrashStreak { get; set; }

    public string? EndedBy { get; set; }

    public string SentinelPath { get; set; } = "";

    public string StopFilePath { get; set; } = "";

    public RoundsSnapshot Snapshot()
    {
        // Looked at on every snapshot: a sentinel or stop file appears from outside, at any time.
        var sentinel = SentinelPath.Length > 0 && File.Exists(SentinelPath);
        return new RoundsSnapshot(
            Round, Phase, InRound, RoundStartedAt, SessionRounds, MaxRounds, LastOutcome, LastDurationSeconds, LastBucket, LastEndedAt,
            NextRoundAt, ThrottleBucket, ThrottledUntil, ThrottleAttempt, ThrottleFromServer, ShortCrashStreak,
            SentinelPath, sentinel, sentinel ? StopTriggers.ReadReason(SentinelPath) : null,
            StopFilePath, StopFilePath.Length > 0 && File.Exists(StopFilePath), EndedBy);
    }

    /// <summary>What a previous daemon recorded that still matters: the throttle, and the round count for the record.</summary>
    public void Restore(RoundsSnapshot previous)
    {
        ThrottleBucket = previous.ThrottleBucket;
        ThrottledUntil = previous.ThrottledUntil;
        ThrottleAttempt = previous.ThrottleAttempt;
        ThrottleFromServer = previous.ThrottleFromServer;
        Round = previous.Round;
        LastOutcome = previous.LastOutcome;
        LastDurationSeconds = previous.LastDurationSeconds;
        LastBucket = previous.LastBucket;
        LastEndedAt = previous.LastEndedAt;
        Phase = previous.Phase;
        EndedBy = previous.EndedBy;
    }
}
