using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

/// <summary>A session: wait for the requirements, check, then run (and run again by the restart decision) until stopped or settled.</summary>
public sealed partial class ComponentRunner
{
    private async Task SuperviseAsync(CancellationToken stop)
    {
        try
        {
            if (Component.Kind == ComponentKind.External)
            {
                await WatchExternalAsync(stop);
                return;
            }

            var checkedBeforeStart = false;
            while (!stop.IsCancellationRequested)
            {
                if (!await WaitForRequirementsAsync(stop))
                {
                    break;
                }

                // Once per session, right before the first run: a taken port or a missing config
                // is reported as what it is, not as a crash loop of a program that cannot start.
                if (!checkedBeforeStart)
                {
                    checkedBeforeStart = true;
                    if (!await PreflightAsync(stop))
                    {
                        break;
                    }
                }

                if (Component.Kind == ComponentKind.Rounds)
                {
                    await SuperviseRoundsAsync(stop);
                    break;
                }

                var end = await RunOnceAsync(stop);
                if (end.StoppedOnRequest || !await AfterRunAsync(end, stop))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting or backing off: nothing of ours is running.
        }
        catch (Exception e)
        {
            // A bug in the supervisor must not take the daemon down with it, nor leave the run behind.
            _services.Events.Emit(EventKinds.SupervisorError, Name, new EventField("error", $"{e.GetType().Name}: {e.Message}"));
            SetState(ComponentState.Failed, $"tend failed to supervise it ({e.GetType().Name}: {e.Message}); this is a bug in tend");
        }
        finally
        {
            lock (_gate)
            {
                _session?.Dispose();
                _session = null;
                _nextStartAt = null;
                _backoffSeconds = null;
                _waitingFor = null;
                _blockers = null;
            }

            // Nothing is reported stopped while a process of its runs that left their group may still live.
            await _escapeSweep;
            if (stop.IsCancellationRequested)
            {
                SetState(ComponentState.Stopped, _stopReason is { } reason ? $"stopped: {reason}" : "stopped on request");
            }
            else
            {
                _supervisor.Changed.Signal();
            }
        }
    }

    /// <summary>Waits until every requirement holds; false when the session was stopped meanwhile.</summary>
    private async Task<bool> WaitForRequirementsAsync(CancellationToken stop)
    {
        var announced = false;
        while (true)
        {
            var next = _supervisor.Changed.Next;
            var pending = _supervisor.UnmetRequirements(Component);
            if (pending.Count == 0)
            {
                Update(() =>
                {
                    _waitingFor = null;
                    _blockers = null;
                });
                return true;
            }

            var waitingFor = string.Join(", ", pending.Select(p => p.Describe()));
            if (!announced || Snapshot().WaitingFor != waitingFor)
            {
                Update(() =>
                {
                    _waitingFor = waitingFor;
                    _blockers = pending;
                });
                SetState(ComponentState.Waiting, $"waiting for {waitingFor}");
                var blocking = pending[0];
                _services.Events.Emit(EventKinds.ComponentWaiting, Name, new("requirement", blocking.Component), new("condition", blocking.ConditionName), new("current", blocking.State.Name()));
                announced = true;
            }

            await next.WaitAsync(stop);
        }
    }
}
