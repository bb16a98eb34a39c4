namespace Tend.Core.Events;

public static partial class EventKinds
{
    /// <summary>
    /// The events of <c>kind = "rounds"</c> components. A nested class so that its fields are set
    /// before <see cref="All"/> reads them (field initializers of a partial class's parts run in
    /// no order the language promises).
    /// </summary>
    public static class Rounds
    {
        private static readonly EventFieldSpec Round = Int("run", "the round number: the run number of the component, counting on across sessions");
        private static readonly EventFieldSpec Phase = Str("phase", "the round's phase, when the component has phases", optional: true);
        private static readonly EventFieldSpec Bucket = Str("bucket", "what kind of failure: `rate_limit_reset`, `rate_limit`, `server_error`, `timeout`, `network` or `auth`");
        private static readonly EventFieldSpec Path = Str("path", "the file's path");
        private static readonly EventFieldSpec RoundsRun = Int("rounds", "rounds run in this session");

        public static readonly EventKind RoundStarted = Component(
            "round_started",
            "A round began: its command was started with TEND_ROUND, TEND_PHASE and TEND_LOG_DIR set.",
            Round,
            Phase,
            Pid,
            Argv,
            Int("timeout_ms", "the round's wall-clock limit"),
            List("prompt_files", "the prompt files given to this round, in order"));

        public static readonly EventKind RoundEnded = Component(
            "round_ended",
            "A round is over, whatever ended it.",
            Round,
            Phase,
            Str("outcome", "`ok`, `failed`, `grace_kill` (killed after its result: counts as ok), `timeout_kill`, `stopped` or `not_started`"),
            ExitCode,
            Signal,
            DurationMs,
            Bool("result_seen", "its output showed the round's result (`rounds.result`)"),
            Str("bucket", "the failure's bucket, when a classify rule matched", optional: true));

        public static readonly EventKind RoundGraceExtended = Component(
            "round_grace_extended",
            "The round showed its result and the grace period passed, but other processes of its group are still at work, so it is left to finish (until `rounds.timeout`). Written again only when the set of live processes changes.",
            Round,
            Int("grace_ms", "the grace period after the result"),
            List("live_children", "`pid N (command line)` of each live process that counts as work"),
            List("ignored_children", "live processes that match `rounds.grace_ignore` and do not count"));

        public static readonly EventKind RoundGraceKill = Component(
            "round_grace_kill",
            "The round showed its result, the grace period passed and nothing else of its group was at work: the hung round was stopped. The round counts as ok.",
            Round,
            Int("grace_ms", "the grace period after the result"),
            List("ignored_children", "live processes that match `rounds.grace_ignore`, stopped with it"));

        public static readonly EventKind RoundTimeoutKill = Component(
            "round_timeout_kill",
            "The round ran past its wall-clock limit and was stopped, whatever its processes were doing.",
            Round,
            Int("timeout_ms", "the limit"),
            List("alive", "`pid N (command line)` of each process of the group when the limit was hit"));

        public static readonly EventKind RoundClassified = Component(
            "round_classified",
            "A failed round's output matched a classify rule; `action` says what follows.",
            Round,
            Bucket,
            Str("action", "`back_off`, `stop` or `alert`"),
            Str("rule", "which rule decided, e.g. `components.agent.classify[0]` or `preset claude[2]`"),
            Str("line", "the line that matched (first 300 characters, secrets redacted)"),
            Str("reset_at", "the reset time the server gave (ISO 8601)", optional: true));

        public static readonly EventKind RoundThrottled = Component(
            "round_throttled",
            "Rounds are paused for a transient failure until the given time: the server's reset time plus jitter, or an exponential back-off.",
            Bucket,
            Str("until", "when the next round may start (ISO 8601)"),
            Int("delay_ms", "how long from now"),
            Int("attempt", "consecutive back-offs; the exponential back-off doubles with each"),
            Bool("from_server", "the time comes from the server's reset time, not from the back-off"),
            Bool("restored", "this throttle was carried over from before a daemon restart"));

        public static readonly EventKind RoundThrottleRecovered = Component(
            "round_throttle_recovered",
            "The throttle's time has come; rounds resume.",
            Bucket,
            Int("waited_ms", "how long the rounds were paused"));

        public static readonly EventKind RoundAlert = Component(
            "round_alert",
            "A failed round matched a rule whose action is `alert`: reported, and the rounds go on as after an unclassified failure (a short one counts toward the crash loop).",
            Round,
            Bucket,
            Str("line", "the line that matched (secrets redacted)"));

        public static readonly EventKind RoundShortCrash = Component(
            "round_short_crash",
            "An unclassified round (or one classified `alert`) failed within `rounds.short_crash`; each one in a row doubles the delay, and `rounds.crash_loop_after` of them stop the component.",
            Round,
            Str("last_exit", "how it ended, e.g. `exit code 1`"),
            DurationMs,
            Int("streak", "short crashes in a row"),
            Int("delay_ms", "the delay before the next round"));

        public static readonly EventKind RoundsCrashLoop = Component(
            "rounds_crash_loop",
            "Too many short crashes in a row: the component is stopped as `crash_loop` until `tend start`.",
            Int("streak", "short crashes in a row"),
            Str("last_exit", "how the last round ended"),
            LogTail);

        public static readonly EventKind RoundsSentinel = Component(
            "rounds_sentinel",
            "The round wrote the done sentinel in TEND_LOG_DIR: the work is done, the component ends cleanly as `completed`. Checked first of the three stop triggers.",
            Path,
            Str("reason", "the sentinel's first 200 characters"),
            RoundsRun);

        public static readonly EventKind RoundsStopFile = Component(
            "rounds_stop_file",
            "The operator's stop file exists: the component ends cleanly as `completed` (removing the file does not resume it; `tend start` does). Checked second.",
            Path,
            RoundsRun);

        public static readonly EventKind RoundsMaxReached = Component(
            "rounds_max_reached",
            "The session ran its maximum number of rounds (`rounds.max_rounds`, `--max-rounds`, `--once`): the component ends cleanly as `completed`. Checked third.",
            RoundsRun,
            Int("max_rounds", "the limit"));

        public static readonly EventKind RoundsStoppedByRule = Component(
            "rounds_stopped_by_rule",
            "A failed round matched a rule whose action is `stop`: the component is left `failed` until `tend start`.",
            Round,
            Bucket,
            Str("rule", "which rule decided"));

        public static readonly EventKind RoundsSentinelCleared = Component(
            "rounds_sentinel_cleared",
            "A done sentinel left from an earlier session was removed before the first round, so it cannot end this one at once.",
            Path,
            Str("reason", "what it said (first 200 characters)"));

        public static readonly EventKind HookRan = Component(
            "hook_ran",
            "A hook command (`on_start` once, `pre_round` before each round) finished successfully.",
            Str("hook", "`on_start` or `pre_round`"),
            Int("run", "the round it prepared (pre_round)", optional: true),
            Argv,
            DurationMs,
            Bool("prompt_changed", "the hook changed the round's prompt files (pre_round)", optional: true),
            List("changed_files", "the prompt files whose content it changed (pre_round)", optional: true));

        public static readonly EventKind HookFailed = Component(
            "hook_failed",
            "A hook failed. A failed `on_start` aborts the session (`failed`); a failed `pre_round` fails that round, which counts as a short crash.",
            Str("hook", "`on_start` or `pre_round`"),
            Int("run", "the round it prepared (pre_round)", optional: true),
            Argv,
            Str("error", "how it failed, e.g. `exit code 2`, `timed out after 5m`"),
            List("output_tail", "its last lines of output, secrets redacted"));

        public static readonly IReadOnlyList<EventKind> All =
        [
            RoundStarted,
            RoundEnded,
            RoundGraceExtended,
            RoundGraceKill,
            RoundTimeoutKill,
            RoundClassified,
            RoundThrottled,
            RoundThrottleRecovered,
            RoundAlert,
            RoundShortCrash,
            RoundsCrashLoop,
            RoundsSentinel,
            RoundsStopFile,
            RoundsMaxReached,
            RoundsStoppedByRule,
            RoundsSentinelCleared,
            HookRan,
            HookFailed,
        ];
    }
}
