using Spectre.Console;
using Tend.Core.Events;
using Tend.Core.Text;
using Tend.Daemon.Supervision;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Cli.Output;

/// <summary>How the CLI tells about rounds: their events in words, their progress, and what to type next.</summary>
internal static class RoundsView
{
    /// <summary>A rounds event in plain words; null for other kinds.</summary>
    public static string? Narrate(EventRecord e)
    {
        string? T(string field) => e[field] is { } value and not EventValue.Nothing ? value.ToString() : null;
        var phase = T("phase") is { Length: > 0 } p ? $" ({p})" : "";
        return e.Kind switch
        {
            "round_started" => $"round {T("run")}{phase} started (pid {T("pid")}, timeout {T("timeout_ms")} ms)",
            "round_ended" => $"round {T("run")}{phase} {T("outcome")}{(T("signal") is { } s ? $", {s}" : T("exit_code") is { } c ? $", exit {c}" : "")} after {T("duration_ms")} ms{(T("bucket") is { } b ? $" [{b}]" : "")}",
            "round_grace_extended" => $"round {T("run")} showed its result, but is still at work: {T("live_children")}",
            "round_grace_kill" => $"round {T("run")} showed its result and sat idle {T("grace_ms")} ms: stopped",
            "round_timeout_kill" => $"round {T("run")} hit its timeout of {T("timeout_ms")} ms: stopped",
            "round_classified" => $"round {T("run")} failed as {T("bucket")} (rule {T("rule")}) → {T("action")}: {T("line")}",
            "round_throttled" => $"{T("bucket")}: no round before {LocalTime(T("until"))}{(T("from_server") == "true" ? " (the server's reset time)" : $" (back-off #{T("attempt")})")}{(T("restored") == "true" ? ", carried over from the previous daemon" : "")}",
            "round_throttle_recovered" => $"{T("bucket")} throttle over after {T("waited_ms")} ms; rounds resume",
            "round_alert" => $"alert, round {T("run")}: {T("bucket")}: {T("line")}",
            "round_short_crash" => $"round {T("run")} crashed after {T("duration_ms")} ms ({T("last_exit")}), {T("streak")} in a row; next in {T("delay_ms")} ms",
            "rounds_crash_loop" => $"crash loop: {T("streak")} short crashes in a row, last {T("last_exit")}",
            "rounds_sentinel" => $"done sentinel after {T("rounds")} rounds: {T("reason")}",
            "rounds_stop_file" => $"stop file {T("path")} present after {T("rounds")} rounds",
            "rounds_max_reached" => $"ran {T("rounds")} of {T("max_rounds")} rounds",
            "rounds_stopped_by_rule" => $"stopped: round {T("run")} failed as {T("bucket")} (rule {T("rule")})",
            "rounds_sentinel_cleared" => $"removed a stale done sentinel ({T("reason")})",
            "hook_ran" => $"{T("hook")} hook ran in {T("duration_ms")} ms{(T("prompt_changed") == "true" ? $"; it changed {T("changed_files")}" : "")}",
            "hook_failed" => $"{T("hook")} hook failed: {T("error")}",
            _ => null,
        };
    }

    /// <summary>An ISO 8601 time from an event as local date and time to the second; as it came when it does not parse.</summary>
    private static string? LocalTime(string? iso) =>
        DateTimeOffset.TryParse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)
            ? time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
            : iso;

    /// <summary>One line: the round, its phase, the last outcome, and any throttle or trigger.</summary>
    public static string Summary(RoundsSnapshot r, DateTimeOffset now)
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

    /// <summary>The facts `tend why` adds for a rounds component.</summary>
    public static void RenderFacts(IAnsiConsole console, RoundsSnapshot r, DateTimeOffset now)
    {
        console.MarkupLine($"  [grey]rounds:[/] {Markup.Escape(Summary(r, now))}");
        console.MarkupLine($"  [grey]sentinel:[/] {Markup.Escape(r.SentinelPath)} ({(r.SentinelPresent ? "present" : "absent")})   [grey]stop file:[/] {Markup.Escape(r.StopFilePath)} ({(r.StopFilePresent ? "present" : "absent")})");
    }

    /// <summary>What to type next, for the states only rounds have or mean differently; null for the rest.</summary>
    public static string? Next(ComponentSnapshot s) => (s.State, s.Rounds?.EndedBy) switch
    {
        ("completed", "rounds_stop_file") => $"remove {s.Rounds!.StopFilePath}, then tend start {s.Name}",
        ("completed", "rounds_sentinel") => $"the round said it is done; tend start {s.Name} runs a new session (the sentinel is cleared first)",
        ("completed", _) => $"tend start {s.Name} for another session, or tend up {s.Name} --max-rounds N",
        ("throttled", _) => $"nothing to do: rounds resume by themselves; tend events -c {s.Name} --kind 'round_*' to watch",
        ("between_rounds", _) => $"tend logs {s.Name} for the last round; tend events -c {s.Name} --kind 'round_*'",
        ("running", _) => $"tend logs {s.Name} -f to watch the round",
        _ => null,
    };
}
