using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Updates;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Updates;

/// <summary>What the daemon does to the stack for an update, through the control gate like any change.</summary>
/// <param name="Restart">Restarts the component, for the reason given.</param>
/// <param name="Stop">Stops it, for the reason given.</param>
internal sealed record UpdateActions(Func<string, string, Task> Restart, Func<string, string, Task> Stop);

/// <summary>
/// One update of one component, step by step, each step written down first (<see cref="UpdateJournal"/>):
/// read the version in use, set the new one, restart, watch it through the health gate; keep it
/// (tend.lock, <c>update_committed</c>) or set the old one back, restart and watch that too
/// (<c>update_rolled_back</c>), and when even that fails, stop the component and say why
/// (<c>update_rollback_failed</c>). The update belongs to the daemon, not to the client that
/// asked: a client that goes away does not stop it halfway; a daemon that dies leaves its journal,
/// and the next one sets the old version back (<see cref="UpdateRecovery"/>).
/// </summary>
internal sealed class ComponentUpdater(Supervisor supervisor, EventHub events, string stateDirectory, TimeProvider time)
{
    public async Task<UpdateResult> RunAsync(Component component, string from, string? fromDigest, string to, string source, UpdateActions actions, CancellationToken cancellationToken)
    {
        var spec = component.Update!;
        var name = component.Name;
        var started = time.GetTimestamp();
        var commands = new VersionCommands(component, supervisor.Stack, time);
        var journal = new UpdateJournal(name, from, fromDigest, to, UpdatePhase.Updating, time.GetUtcNow(), Environment.ProcessId);
        journal.Save(stateDirectory);
        events.Emit(EventKinds.Updates.UpdateStarted, name, new("from", from), new("to", to), new("source", source), new("passes", spec.Passes), EventFields.Ms("window_ms", spec.Window));

        var attempt = await TryVersionAsync(component, commands, to, $"update to {to}", actions, cancellationToken);
        if (attempt.Passed == true)
        {
            // What runs now is what `current` says, digest and all: that is what the lock records.
            var (reading, read) = await commands.CurrentAsync(cancellationToken);
            if (reading is not null && reading.Version == to)
            {
                var lockFile = LockFile.Read(supervisor.Stack.LockPath).Lock ?? LockFile.Empty;
                lockFile.With(name, new LockedVersion(to, reading.Digest, time.GetUtcNow())).Save(supervisor.Stack.LockPath);
                UpdateJournal.Remove(stateDirectory, name);
                events.Emit(EventKinds.Updates.UpdateCommitted, name, EventFields.Present(new("from", from), new("to", to), reading.Digest is { } digest ? new EventField("digest", digest) : null, EventFields.List("evidence", attempt.Evidence), EventFields.Ms("duration_ms", time.GetElapsedTime(started))));
                return new UpdateResult(name, UpdateOutcomes.Committed, from, to, null, attempt.Evidence, time.GetElapsedTime(started).TotalSeconds) { Digest = reading.Digest };
            }

            attempt = new GateVerdict(false, [reading is null ? $"after the update its current command failed: {read.Describe()}" : $"after the update its current command prints {reading.Version}, not {to}"]);
        }

        // A daemon going down stops the component too: that is no verdict on the version. The
        // journal stays, and the next daemon sets the old version back before it starts anything.
        cancellationToken.ThrowIfCancellationRequested();
        var reason = string.Join("; ", attempt.Evidence);
        journal = journal with { Phase = UpdatePhase.RollingBack };
        journal.Save(stateDirectory);
        var back = await TryVersionAsync(component, commands, from, $"rollback to {from}", actions, cancellationToken);
        UpdateJournal.Remove(stateDirectory, name);
        if (back.Passed == true)
        {
            events.Emit(EventKinds.Updates.UpdateRolledBack, name, new("from", from), new("to", to), new("source", source), new("reason", reason), EventFields.List("evidence", back.Evidence), EventFields.Ms("duration_ms", time.GetElapsedTime(started)));
            return new UpdateResult(name, UpdateOutcomes.RolledBack, from, to, reason, back.Evidence, time.GetElapsedTime(started).TotalSeconds);
        }

        var rollbackError = string.Join("; ", back.Evidence);
        events.Emit(EventKinds.Updates.UpdateRollbackFailed, name, new("from", from), new("to", to), new("source", source), new("reason", reason), new("rollback_error", rollbackError));
        await actions.Stop(name, $"update to {to} failed and so did the rollback to {from}");
        var why = $"update to {to} failed ({reason}), and the rollback to {from} failed too ({rollbackError}): it is left stopped, at no version tend vouches for. Set a version that works by hand (its update.set command), then tend start {name}";
        supervisor.Find(name)?.SetState(ComponentState.Failed, why);
        return new UpdateResult(name, UpdateOutcomes.RollbackFailed, from, to, reason, [rollbackError], time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Sets <paramref name="version"/>, restarts, and watches the run through the gate.</summary>
    private async Task<GateVerdict> TryVersionAsync(Component component, VersionCommands commands, string version, string what, UpdateActions actions, CancellationToken cancellationToken)
    {
        var set = await commands.SetAsync(version, cancellationToken);
        if (!set.Ok)
        {
            return new GateVerdict(false, [$"setting {version} failed: {set.Describe()}"]);
        }

        var previousRun = supervisor.Find(component.Name)!.Snapshot().Run;
        var restartedAt = time.GetUtcNow();
        await actions.Restart(component.Name, what);
        // Found after the restart: a reload that restarted it put a new runner in its place.
        var runner = supervisor.Find(component.Name)!;
        return await new HealthGate(runner, supervisor.Changed, time).WatchAsync(runner.Component.Update ?? component.Update!, previousRun, restartedAt, cancellationToken);
    }
}
