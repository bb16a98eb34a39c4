namespace Tend.Core.Events;

public static partial class EventKinds
{
    /// <summary>The monitor's events: alerts firing and resolving, what was done, deliveries that failed. Nested for the same reason as <see cref="Rounds"/>.</summary>
    public static class Monitor
    {
        private static readonly EventFieldSpec Rule = Str("rule", "the monitor rule, e.g. `disk`, `auth_fail` or a stack's own");
        private static readonly EventFieldSpec Subject = Str("subject", "what it is about: the component, `host`, or a filesystem's mount point");
        private static readonly EventFieldSpec Severity = Str("severity", "`info`, `warning` or `critical`");
        private static readonly EventFieldSpec AlertSummary = Str("summary", "the rule's summary, e.g. `a disk is filling up`");
        private static readonly EventFieldSpec Facts = List("facts", "each metric read, with its value and threshold: `disk_used_percent = 96 % (above 95 %)`");

        public static readonly EventKind AlertFiring = Either(
            "alert_firing",
            "A monitor rule held on a subject for its `for`: the alert fires, once. A daemon restart while it holds does not fire it again.",
            Rule,
            Subject,
            Severity,
            AlertSummary,
            Facts,
            Num("value", "the main metric's value, in its unit (bytes, seconds, percent, count)"),
            Str("action", "what the rule does about it: `alert`, `stop`, `restart` or `exec`"),
            Str("hint", "what to do, with the commands to type", optional: true));

        public static readonly EventKind AlertResolved = Either(
            "alert_resolved",
            "A firing alert's condition has been clear for its `clear_after` (or its rule or subject is gone): the alert resolves, once.",
            Rule,
            Subject,
            Severity,
            AlertSummary,
            Facts,
            Str("fired_at", "when it fired (ISO 8601)"),
            Int("firing_ms", "how long it was firing"));

        public static readonly EventKind AlertAction = Either(
            "alert_action",
            "What a firing alert's rule did: stopped or restarted components, or ran its command.",
            Rule,
            Subject,
            Str("action", "`stop`, `restart` or `exec`"),
            List("targets", "the components stopped or restarted, or the command run"),
            Str("outcome", "how it went: `done`, `exit 0`, or the error"));

        public static readonly EventKind NotifyFailed = Stack(
            "notify_failed",
            "A notifier could not deliver an alert; `retry_in_ms` says when it tries again, or it is given up. Supervision never waits for notifiers.",
            Str("notifier", "the notifier's name (`[[notify]] name`, else `webhook-1`, `exec-2`)"),
            Str("notifier_kind", "`webhook` or `exec`"),
            Str("delivery", "the delivery's id (the `X-Tend-Delivery` header)"),
            Int("attempt", "which attempt failed, from 1"),
            Str("reason", "why: `HTTP 500`, `connection refused`, `exit 3: ...`"),
            Int("retry_in_ms", "when the next attempt is; absent when given up", optional: true));

        public static IReadOnlyList<EventKind> All => [AlertFiring, AlertResolved, AlertAction, NotifyFailed];
    }

    private static EventKind Either(string name, string description, params EventFieldSpec[] fields) => new(name, EventScope.Either, description, fields);
}
