using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Updates;

namespace Tend.Daemon.Updates;

/// <summary>
/// At the daemon's start, before anything is started: an update its predecessor left unfinished
/// (it died between setting the new version and the gate's verdict) is rolled back by setting the
/// old version again, so the component starts at the version tend.lock vouches for. Nothing is
/// resumed: the gate's evidence died with the old daemon, and a half-watched version is not kept.
/// </summary>
internal static class UpdateRecovery
{
    /// <returns>Whether a set command ran: the stack file may interpolate what it changed, so it is read again.</returns>
    public static async Task<bool> RollBackAsync(StackFile stack, string stateDirectory, EventHub events, TimeProvider time, CancellationToken cancellationToken)
    {
        var ran = false;
        foreach (var journal in UpdateJournal.Unfinished(stateDirectory))
        {
            var reason = $"the daemon (pid {journal.DaemonPid}) ended during the update ({(journal.Phase == UpdatePhase.RollingBack ? "while rolling back" : "before the gate's verdict")})";
            if (stack.Find(journal.Component) is not { Update: not null } component)
            {
                events.Emit(EventKinds.Updates.UpdateRollbackFailed, journal.Component, new("from", journal.From), new("to", journal.To), new("source", "recovery"), new("reason", reason), new("rollback_error", $"{journal.Component} has no update in the stack file any more; set {journal.From} back by hand"));
                UpdateJournal.Remove(stateDirectory, journal.Component);
                continue;
            }

            var set = await new VersionCommands(component, stack, time).SetAsync(journal.From, cancellationToken);
            ran = true;
            if (set.Ok)
            {
                UpdateJournal.Remove(stateDirectory, journal.Component);
                events.Emit(EventKinds.Updates.UpdateRolledBack, journal.Component, new("from", journal.From), new("to", journal.To), new("source", "recovery"), new("reason", reason), EventFields.List("evidence", [$"{journal.From} set back before {journal.Component} was started again"]), EventFields.Ms("duration_ms", time.GetUtcNow() - journal.StartedAt));
            }
            else
            {
                // The journal stays: the next start tries again, and `tend why` has the event.
                events.Emit(EventKinds.Updates.UpdateRollbackFailed, journal.Component, new("from", journal.From), new("to", journal.To), new("source", "recovery"), new("reason", reason), new("rollback_error", $"setting {journal.From} failed: {set.Describe()}"));
            }
        }

        return ran;
    }
}
