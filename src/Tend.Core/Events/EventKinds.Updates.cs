namespace Tend.Core.Events;

public static partial class EventKinds
{
    /// <summary>The events of <c>tend update</c>. Nested for the same reason as <see cref="Rounds"/>.</summary>
    public static class Updates
    {
        private static readonly EventFieldSpec From = Str("from", "the version before the update");
        private static readonly EventFieldSpec To = Str("to", "the version asked for");
        private static readonly EventFieldSpec Source = Str("source", "who asked: `cli`, `http`, or `recovery` (a daemon that found an update its predecessor left unfinished)");

        public static readonly EventKind UpdateStarted = Component(
            "update_started",
            "An update began: the plan is written (STATE/updates/COMP.json), the new version is set next, then the component restarts and is watched by the health gate.",
            From,
            To,
            Source,
            Int("passes", "passing health checks in a row the new version must give"),
            Int("window_ms", "how long the new version is watched"));

        public static readonly EventKind UpdateCommitted = Component(
            "update_committed",
            "The new version passed its health gate and is written to tend.lock.",
            From,
            To,
            Str("digest", "what `current` printed after the version, when anything", optional: true),
            List("evidence", "what the gate saw"),
            Int("duration_ms", "from the start of the update"));

        public static readonly EventKind UpdateRolledBack = Component(
            "update_rolled_back",
            "The new version failed (its set command, a crash, a failed or missing health check in the window, or a daemon that died mid-update): the old version was set back, and it passed the same gate.",
            From,
            To,
            Source,
            Str("reason", "why the new version was not kept"),
            List("evidence", "what the gate saw of the old version after the rollback"),
            Int("duration_ms", "from the start of the update"));

        public static readonly EventKind UpdateRollbackFailed = Component(
            "update_rollback_failed",
            "The new version failed and so did setting the old one back (or the old one failed its gate): the component is stopped, and `tend why` says what to do.",
            From,
            To,
            Source,
            Str("reason", "why the new version was not kept"),
            Str("rollback_error", "why the rollback did not work"));

        public static IReadOnlyList<EventKind> All => [UpdateStarted, UpdateCommitted, UpdateRolledBack, UpdateRollbackFailed];
    }
}
