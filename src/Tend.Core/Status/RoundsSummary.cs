using Tend.Core.Text;

namespace Tend.Core.Status;

/// <summary>A rounds component's progress in one line: the round, its phase, the last outcome, and any throttle or trigger.</summary>
public static class RoundsSummary
{
    public static string Of(RoundsSnapshot r, DateTimeOffset now)
    {
        var parts = new List<string>();
        var round = r.Round == 0 ? "no round yet" : $"round {r.Round}{(r.Phase is { } phase ? $" ({phase})" : "")}{(r.InRound ? ", running" : "")}";
        parts.Add(r.MaxRounds is { } max ? $"{round}; {r.SessionRounds} of {max} this session" : round);
        if (r.LastOutcome is { } outcome)
        {
            parts.Add($"last: {outcome}{(r.LastBucket is { } bucket ? $" [{bucket}]" : "")} in {Quantities.FormatDuration(TimeSpan.FromSeconds(r.LastDurationSeconds ?? 0))}");
        }

        if (r.ThrottledUntil is { } until && until > now)
        {
            parts.Add($"throttled ({r.ThrottleBucket}) until {until.ToLocalTime():yyyy-MM-dd HH:mm:ss}, in {Quantities.FormatDuration(until - now)}");
        }
        else if (r.NextRoundAt is { } next)
        {
            parts.Add($"next round in {Quantities.FormatDuration(next > now ? next - now : TimeSpan.Zero)}");
        }

        if (r.ShortCrashStreak > 0)
        {
            parts.Add($"{r.ShortCrashStreak} short crash{(r.ShortCrashStreak == 1 ? "" : "es")} in a row");
        }

        if (r.SentinelPresent)
        {
            parts.Add($"done sentinel: {r.SentinelReason}");
        }

        if (r.StopFilePresent)
        {
            parts.Add("stop file present");
        }

        return string.Join(" · ", parts);
    }
}
