using Tend.Core.Checks;
using Tend.Core.Events;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

/// <summary>
/// The lifecycle of one component: wait for what it requires, start a run, watch it (exit,
/// health), and restart it by its policy, until told to stop. One supervision session at a time;
/// <see cref="Start"/> begins one, <see cref="StopAsync"/> ends it and returns when its process
/// group is empty. State is read by the supervisor through <see cref="Snapshot"/>.
/// </summary>
public sealed partial class ComponentRunner : IDisposable
{
    private readonly Supervisor _supervisor;
    private readonly SupervisorServices _services;
    private readonly Backoff _backoff;
    private readonly CheckRunner _probe;
    private readonly CheckContext _checks;
    private readonly Lock _gate = new();

    private ComponentState _state = ComponentState.Stopped;
    private string? _reason;
    private DateTimeOffset _since;
    private int _run;
    private int? _pid;
    private long? _pidStartTicks;
    private DateTimeOffset? _startedAt;
    private int _restarts;
    private ProbeHealth? _health;
    private int _probeFailures;
    private string? _lastProbe;
    private int? _lastExitCode;
    private int? _lastSignal;
    private DateTimeOffset? _lastExitAt;
    private DateTimeOffset? _nextStartAt;
    private double? _backoffSeconds;
    private string? _waitingFor;
    private IReadOnlyList<UnmetRequirement>? _blockers;
    private DateTimeOffset? _readyAt;
    private CancellationTokenSource? _session;
    private Task _sessionTask = Task.CompletedTask;

    internal ComponentRunner(Component component, Supervisor supervisor, SupervisorServices services, CheckContext checks)
    {
        Component = component;
        _supervisor = supervisor;
        _services = services;
        _backoff = new Backoff(component.Restart, services.Random);
        _probe = new CheckRunner(checks, Diagnostician.None);
        _checks = checks;
        _since = services.Time.GetUtcNow();
        _run = component.Kind == ComponentKind.External ? 0 : services.Output.LastRun(component.Name);
    }

    public Component Component { get; internal set; }

    public string Name => Component.Name;

    public ComponentState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>A session is active: the component is meant to run (or is finishing a stop).</summary>
    public bool Active
    {
        get
        {
            lock (_gate)
            {
                return _session is not null;
            }
        }
    }

    public ComponentSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new ComponentSnapshot(
                Name, Component.Kind, _state, _reason, _since, _run, _pid, _pidStartTicks, _startedAt, _restarts,
                _health, _probeFailures, _lastProbe, _lastExitCode, _lastSignal, _lastExitAt, _nextStartAt, _backoffSeconds, _waitingFor, RoundsSnapshot())
            {
                ReadyAt = _readyAt,
                Blockers = _blockers,
            };
        }
    }

    /// <summary>Begins supervising, unless a session is already running. A stuck component (crash loop...) starts afresh.</summary>
    /// <param name="maxRounds">For a rounds component: end this session after so many rounds (<c>--max-rounds</c>, <c>--once</c>).</param>
    public void Start(int? maxRounds = null)
    {
        lock (_gate)
        {
            if (_session is not null)
            {
                // Rounds already going: `tend up --max-rounds N` (or --once) means N more, then stop.
                if (maxRounds is { } more && Component.Kind == ComponentKind.Rounds)
                {
                    _maxRoundsOverride = _roundsProgress.SessionRounds + more;
                    _roundsProgress.MaxRounds = _maxRoundsOverride;
                    _supervisor.Changed.Signal();
                }

                return;
            }

            // A job that says once = true and ran to completion stays completed until its definition changes.
            if (Component.Once && _state == ComponentState.Completed)
            {
                return;
            }

            _maxRoundsOverride = maxRounds;
            if (Component.Rounds is { } rounds)
            {
                _roundsProgress.MaxRounds = maxRounds ?? rounds.MaxRounds;
                _roundsProgress.SessionRounds = 0;
                _roundsProgress.EndedBy = null;
            }

            // At once, not when the session task gets to it: whoever looks right away (what
            // requires it, a `tend up` judging it) must not read the previous session's end
            // (completed, failed, stopped) as this one's.
            _state = ComponentState.Waiting;
            _reason = "a new session is starting";
            _since = _services.Time.GetUtcNow();

            _backoff.Clear();
            _session = new CancellationTokenSource();
            var token = _session.Token;
            _sessionTask = Task.Run(() => SuperviseAsync(token), CancellationToken.None);
        }

        _supervisor.Changed.Signal();
    }

    /// <summary>Ends the session: stops the run (signal, grace, KILL) and returns once its process group is empty.</summary>
    public async Task StopAsync(int? signal = null)
    {
        CancellationTokenSource? session;
        Task task;
        lock (_gate)
        {
            session = _session;
            task = _sessionTask;
            _stopSignal = signal;
        }

        if (session is null)
        {
            return;
        }

        await session.CancelAsync();
        await task;
    }

    private int? _stopSignal;

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

            if (stop.IsCancellationRequested)
            {
                SetState(ComponentState.Stopped, "stopped on request");
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _session?.Dispose();
            _session = null;
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

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _supervisor.Changed.Signal();
    }
}
