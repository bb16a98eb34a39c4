using System.Globalization;
using Tend.Core.Events;
using Tend.Core.Text;

namespace Tend.Core.Status;

/// <summary>
/// Every event kind in plain words, for `tend events`, `tend why`, `tend peek` and any later face.
/// Each registered kind has its sentence (a spec holds the registry and this table together),
/// and an optional field that is absent leaves its words out: nothing is printed as a blank.
/// </summary>
public static class EventNarration
{
    private static readonly Dictionary<string, Func<Fields, string>> Narrators = new(StringComparer.Ordinal)
    {
        ["daemon_started"] = f => $"daemon started (pid {f.Text("pid")}, tend {f.Text("version")})",
        ["daemon_stopped"] = f => $"daemon stopped ({f.Text("reason")}) after {f.Ms("uptime_ms")}",
        ["daemon_recovered"] = f => $"previous daemon (pid {f.Text("previous_pid")}) had died; {f.ListOr("still_alive", "none of its runs were", "were")} still alive",
        ["orphan_stopped"] = f => $"stopped pid {f.Text("pid")} ({f.Text("command")}), left by a daemon that died, with {f.Text("signal")} in {f.Ms("stop_ms")}",
        ["up_requested"] = f => $"up: {f.ListOr("order", "nothing to start")}",
        ["down_requested"] = f => $"down: {f.ListOr("order", "nothing to stop")}",
        ["component_waiting"] = f => $"waiting for {f.Text("requirement")} ({f.Text("condition")}{f.Optional("current", c => $"; it is {c.Replace('_', ' ')}")})",
        ["component_starting"] = f => $"starting run {f.Text("run")}{f.Optional("attempt", a => a == "0" ? "" : $" (restart #{a})")}",
        ["component_start_failed"] = f => $"could not start run {f.Text("run")}: {f.Text("error")}",
        ["component_started"] = f => $"started run {f.Text("run")} (pid {f.Text("pid")})",
        ["component_ready"] = f => $"ready ({f.Text("ready_as")}) {f.Ms("after_ms")} after its start",
        ["probe_passed"] = f => $"{f.Text("probe")} probe passed: {f.Text("summary")}",
        ["probe_failed"] = f => $"{f.Text("probe")} probe failed{f.Optional("threshold", t => $" {f.Text("consecutive_failures")} of {t} times", $" ×{f.Text("consecutive_failures")}")}: {f.Text("summary")}",
        ["health_changed"] = f => $"{f.Text("from")} → {f.Text("to")}{f.Optional("reason", r => $": {r}")}",
        ["liveness_failed"] = f => $"{f.Text("summary")}: {(f.Text("action") == "restart" ? "restarting it" : "left running (restart policy)")}",
        ["component_exited"] = f => $"run {f.Text("run")} {Ended(f)} after {f.Ms("duration_ms")}{(f.Text("expected") == "true" ? ", as asked" : "")}",
        ["restart_scheduled"] = f => $"restart #{f.Text("attempt")} in {f.Ms("delay_ms")} ({f.Text("reason")})",
        ["backoff_reset"] = f => $"back-off reset after a run of {f.Ms("after_ms")} ({f.Text("attempts")} restarts in a row before it)",
        ["crash_loop"] = f => $"crash loop: {f.Text("restarts")} restarts within {f.Ms("window_ms")}, last {f.Text("last_exit")}{f.Optional("retry_in_ms", r => $"; tries again in {Ms(r)}", "; waits for tend start")}",
        ["config_broken"] = f => $"run {f.Text("run")} exited with {f.Text("exit_code")} (EX_CONFIG): its configuration is broken",
        ["component_stopping"] = f => $"stopping run {f.Text("run")} ({f.Text("reason")}): {f.Text("signal")} to pid {f.Text("pid")}, SIGKILL after {f.Ms("grace_ms")}",
        ["stop_slow"] = f => $"still alive: {f.List("alive")}",
        ["escaped_stopped"] = f => $"stopped {f.List("processes")} of run {f.Text("run")}, which had left its process group, with {f.Text("signal")} in {f.Ms("stop_ms")}",
        ["stop_escalated"] = f => $"still alive {f.Ms("after_ms")} after the stop signal: SIGKILL to {f.List("alive")}",
        ["component_stopped"] = f => $"run {f.Text("run")} stopped in {f.Ms("stop_ms")}{(f.Text("escalated") == "true" ? " (killed)" : "")}",
        ["job_completed"] = f => $"run {f.Text("run")} completed in {f.Ms("duration_ms")}",
        ["job_failed"] = f => $"run {f.Text("run")} failed: {Ended(f)} after {f.Ms("duration_ms")}",
        ["stack_file_changed"] = f => $"stack file changed: {f.ListOr("changed", "nothing to apply")}{f.OptionalList("restarts", r => $"; restarted {r}")}",
        ["command_run"] = f => $"ran `{f.Text("command")}` (pid {f.Text("pid")}): {Ended(f)} after {f.Ms("duration_ms")}{f.Optional("preflight", p => $", pre-flight {p}")}",
        ["events_lost"] = f => $"{f.Text("lost")} events could not be written since {LocalTime(f.Text("since"))}: {f.Text("error")}",
        ["preflight_failed"] = f => $"pre-flight failed: {f.List("failed")}",
        ["component_gave_up"] = f => $"not restarted: {f.Text("reason")} (restart policy {f.Text("policy")})",
        ["state_write_failed"] = f => $"state.json could not be written: {f.Text("error")} (the daemon goes on from memory and retries)",
        ["state_write_resumed"] = f => $"state.json is written again after {f.Ms("failed_ms")}",
        ["daemon_error"] = f => $"tend failed at {f.Text("task")}: {f.Text("error")} (a bug in tend; it goes on)",
        ["supervisor_error"] = f => $"tend failed to supervise it: {f.Text("error")} (a bug in tend)",
        ["round_started"] = f => $"round {f.Text("run")}{Phase(f)} started (pid {f.Text("pid")}, timeout {f.Ms("timeout_ms")})",
        ["round_ended"] = f => $"round {f.Text("run")}{Phase(f)} {f.Text("outcome")!.Replace('_', ' ')}{f.Optional("signal", s => $", {s}", f.Optional("exit_code", c => $", exit {c}"))} after {f.Ms("duration_ms")}{f.Optional("bucket", b => $" [{b}]")}",
        ["round_grace_extended"] = f => $"round {f.Text("run")} showed its result but is still at work: {f.List("live_children")}",
        ["round_grace_kill"] = f => $"round {f.Text("run")} showed its result and sat idle for {f.Ms("grace_ms")}: stopped",
        ["round_timeout_kill"] = f => $"round {f.Text("run")} hit its timeout of {f.Ms("timeout_ms")}: stopped",
        ["round_classified"] = f => $"round {f.Text("run")} failed as {f.Text("bucket")} (rule {f.Text("rule")}) → {f.Text("action")!.Replace('_', ' ')}: {f.Text("line")}",
        ["round_throttled"] = f => $"{f.Text("bucket")}: no round before {LocalTime(f.Text("until"))}{(f.Text("from_server") == "true" ? " (the server's reset time)" : $" (back-off #{f.Text("attempt")})")}{(f.Text("restored") == "true" ? ", carried over from the previous daemon" : "")}",
        ["round_throttle_recovered"] = f => $"{f.Text("bucket")} throttle over after {f.Ms("waited_ms")}; rounds resume",
        ["update_started"] = f => $"update {f.Text("from")} → {f.Text("to")} ({f.Text("source")}): gate {f.Text("passes")} passing checks in a row within {f.Ms("window_ms")}",
        ["update_committed"] = f => $"updated {f.Text("from")} → {f.Text("to")} in {f.Ms("duration_ms")}: {f.List("evidence")}",
        ["update_rolled_back"] = f => $"update to {f.Text("to")} rolled back to {f.Text("from")}: {f.Text("reason")}",
        ["update_rollback_failed"] = f => $"update to {f.Text("to")} failed ({f.Text("reason")}) and so did the rollback to {f.Text("from")}: {f.Text("rollback_error")}",
        ["workflow_started"] = f => $"workflow {f.Text("workflow")} run {f.Text("run")} started ({f.Text("steps")} steps, pid {f.Text("pid")}){f.Optional("resumed_from", r => $", resuming {r}")}",
        ["workflow_finished"] = f => $"workflow {f.Text("workflow")} run {f.Text("run")} {f.Text("outcome")} after {f.Ms("duration_ms")}{f.Optional("reason", r => $": {r}")}",
        ["step_started"] = f => $"{f.Text("workflow")} step {f.Text("step")} attempt {f.Text("attempt")} started (pid {f.Text("pid")})",
        ["step_succeeded"] = f => $"{f.Text("workflow")} step {f.Text("step")} succeeded in {f.Ms("duration_ms")}",
        ["step_failed"] = f => $"{f.Text("workflow")} step {f.Text("step")} failed on attempt {f.Text("attempt")}: {f.Text("reason")}",
        ["step_retrying"] = f => $"{f.Text("workflow")} step {f.Text("step")} attempt {f.Text("attempt")} failed ({f.Text("reason")}{f.Optional("class", c => $", {c}")}); retrying in {f.Ms("delay_ms")}",
        ["step_skipped"] = f => $"{f.Text("workflow")} step {f.Text("step")} skipped: when {f.Text("when")} was false",
        ["step_omitted"] = f => $"{f.Text("workflow")} step {f.Text("step")} omitted: {f.Text("reason")}",
        ["step_paused"] = f => $"{f.Text("workflow")} step {f.Text("step")} paused for review ({f.Text("reason")}): tend workflow approve {f.Text("run")} {f.Text("step")}",
        ["step_approved"] = f => $"{f.Text("workflow")} step {f.Text("step")} approved",
        ["step_rejected"] = f => $"{f.Text("workflow")} step {f.Text("step")} rejected{f.Optional("reason", r => $": {r}")}",
        ["api_request"] = f => $"{f.Text("action")} asked over {f.Text("source")} from {f.Text("remote")}",
        ["http_listening"] = f => $"dashboard and API on {f.Text("url")} ({f.Text("remote")})",
        ["http_failed"] = f => $"the HTTP face cannot listen on {f.Text("listen")}: {f.Text("error")}",
        ["alert_firing"] = f => $"ALERT {f.Text("severity")} {f.Text("rule")} on {f.Text("subject")}: {f.Text("summary")} ({f.List("facts")}){(f.Text("action") is "alert" ? "" : $" → {f.Text("action")}")}",
        ["alert_resolved"] = f => $"resolved {f.Text("rule")} on {f.Text("subject")} after {f.Ms("firing_ms")}: {f.List("facts")}",
        ["alert_action"] = f => $"{f.Text("rule")} on {f.Text("subject")}: {f.Text("action")} {f.List("targets")}: {f.Text("outcome")}",
        ["notify_failed"] = f => $"notifier {f.Text("notifier")} failed (attempt {f.Text("attempt")}): {f.Text("reason")}{f.Optional("retry_in_ms", r => $"; retries in {Ms(r)}", "; given up")}",
        ["round_alert"] = f => $"alert, round {f.Text("run")}: {f.Text("bucket")}: {f.Text("line")}",
        ["round_short_crash"] = f => $"round {f.Text("run")} crashed after {f.Ms("duration_ms")} ({f.Text("last_exit")}), {f.Text("streak")} in a row; next in {f.Ms("delay_ms")}",
        ["rounds_crash_loop"] = f => $"crash loop: {f.Text("streak")} short crashes in a row, last {f.Text("last_exit")}",
        ["rounds_sentinel"] = f => $"done sentinel after {f.Text("rounds")} rounds: {f.Text("reason")}",
        ["rounds_stop_file"] = f => $"stop file {f.Text("path")} present after {f.Text("rounds")} rounds",
        ["rounds_max_reached"] = f => $"ran {f.Text("rounds")} of {f.Text("max_rounds")} rounds",
        ["rounds_stopped_by_rule"] = f => $"stopped: round {f.Text("run")} failed as {f.Text("bucket")} (rule {f.Text("rule")})",
        ["rounds_sentinel_cleared"] = f => $"removed a stale done sentinel ({f.Text("reason")})",
        ["hook_ran"] = f => $"{f.Text("hook")} hook ran in {f.Ms("duration_ms")}{(f.Text("prompt_changed") == "true" ? f.OptionalList("changed_files", c => $"; it changed {c}", "; it changed the prompt") : "")}",
        ["hook_failed"] = f => $"{f.Text("hook")} hook failed: {f.Text("error")}",
    };

    /// <summary>The kinds that have a sentence.</summary>
    public static IReadOnlyCollection<string> Kinds => Narrators.Keys;

    /// <summary>One event in plain words; a kind unknown here (written by a newer tend) is named as it is.</summary>
    public static string Narrate(EventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Narrators.TryGetValue(e.Kind, out var narrate) ? narrate(new Fields(e)) : e.Kind.Replace('_', ' ');
    }

    private static string Ended(Fields f) =>
        f.Optional("signal", s => $"killed by {s}", f.Optional("exit_code", c => $"exited with code {c}", "ended"));

    private static string Phase(Fields f) => f.Optional("phase", p => p.Length == 0 ? "" : $" ({p})");

    private static string Ms(string milliseconds) =>
        long.TryParse(milliseconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? Quantities.FormatDuration(TimeSpan.FromMilliseconds(ms)) : $"{milliseconds} ms";

    /// <summary>An ISO 8601 time from an event as local date and time to the second; as it came when it does not parse.</summary>
    private static string LocalTime(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : iso ?? "an unknown time";

    /// <summary>An event's fields as words, with absent optional ones left out.</summary>
    private readonly struct Fields(EventRecord record)
    {
        /// <summary>A required field as text; "?" if a broken line lacks it, so a sentence is never cut.</summary>
        public string? Text(string name) => Value(name) ?? "?";

        public string Ms(string name) => EventNarration.Ms(Text(name)!);

        public string List(string name) => record.GetList(name) is { Count: > 0 } items ? string.Join(", ", items) : "nothing";

        public string ListOr(string name, string none, string? suffix = null) =>
            record.GetList(name) is { Count: > 0 } items ? string.Join(", ", items) + (suffix is null ? "" : $" {suffix}") : none;

        /// <summary>The words for an optional field when it is present, else <paramref name="absent"/>.</summary>
        public string Optional(string name, Func<string, string> present, string absent = "") =>
            Value(name) is { Length: > 0 } value ? present(value) : absent;

        public string OptionalList(string name, Func<string, string> present, string absent = "") =>
            record.GetList(name) is { Count: > 0 } items ? present(string.Join(", ", items)) : absent;

        private string? Value(string name) => record[name] is { } value and not EventValue.Nothing ? value.ToString() : null;
    }
}
