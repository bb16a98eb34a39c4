using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

/// <summary>Changes of the runner's state, each under its lock and followed by the supervisor's change signal.</summary>
public sealed partial class ComponentRunner
{
    /// <summary>
    /// Carries a previous daemon's record over: a rounds throttle always (the server imposed it),
    /// the completion of a once-job when its definition is unchanged.
    /// </summary>
    public void Restore(ComponentSnapshot previous, bool definitionUnchanged)
    {
        lock (_gate)
        {
            if (previous.Rounds is { } rounds && Component.Kind == ComponentKind.Rounds)
            {
                _roundsProgress.Restore(rounds);
            }

            if (Component.Once && definitionUnchanged && previous.State == ComponentState.Completed)
            {
                _state = ComponentState.Completed;
                _reason = $"{previous.Reason} (under a previous daemon; once = true)";
                _since = previous.Since;
                _lastExitCode = previous.LastExitCode;
                _lastExitAt = previous.LastExitAt;
            }
        }
    }

    internal void SetState(ComponentState state, string? reason = null)
    {
        bool changed;
        lock (_gate)
        {
            changed = _state != state || _reason != reason;
            if (_state != state)
            {
                _since = _services.Time.GetUtcNow();
            }

            _state = state;
            _reason = reason;
        }

        if (changed)
        {
            _supervisor.Changed.Signal();
        }
    }

    /// <summary>
    /// Ready, and the state that says so, in one step: nobody sees one without the other. Only a
    /// run still running becomes ready: a stop that began meanwhile keeps its "stopping".
    /// </summary>
    private void BecomeReady(DateTimeOffset now, ComponentState state, string? reason)
    {
        lock (_gate)
        {
            if (_state != ComponentState.Running)
            {
                return;
            }

            _readyAt = now;
            if (_state != state)
            {
                _since = now;
            }

            _state = state;
            _reason = reason;
        }

        _supervisor.Changed.Signal();
    }

    /// <summary>
    /// A probe's result. A probe that keeps passing changes nothing worth telling (its summary is
    /// kept for the next reader): only a change of health or of the failure count signals, so an
    /// idle stack writes no state.json and wakes nobody at every probe.
    /// </summary>
    /// <param name="health">The new health; null keeps it.</param>
    /// <param name="failures">Failures in a row; null keeps the count.</param>
    private void RecordProbe(ProbeHealth? health, int? failures, string summary)
    {
        bool changed;
        lock (_gate)
        {
            changed = (health is not null && health != _health) || (failures is not null && failures != _probeFailures);
            _health = health ?? _health;
            _probeFailures = failures ?? _probeFailures;
            _lastProbe = summary;
        }

        if (changed)
        {
            _supervisor.Changed.Signal();
        }
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _supervisor.Changed.Signal();
    }
}
