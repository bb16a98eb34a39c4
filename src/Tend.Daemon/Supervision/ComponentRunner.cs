using Tend.Core.Checks;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

/// <summary>
/// The lifecycle of one component: wait for what it requires, start a run, watch it (exit,
/// health), and restart it by its policy, until told to stop. One supervision session at a time;
/// <see cref="Start"/> begins one, <see cref="StopAsync"/> ends it and returns when its process
/// group is empty. This file holds its state and the doors to it; the session, a run's launch,
/// its end, the restart decision, probes, pre-flight and rounds each have a file of their own.
/// </summary>
public sealed partial class ComponentRunner : IDisposable
{
    private readonly Supervisor _supervisor;
    private readonly SupervisorServices _services;
    private readonly Backoff _backoff;
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
    private int? _stopSignal;

    // Who asked for the stop in progress, when not the user ("alert max_memory: ..."): said in its events and state.
    private string? _stopReason;

    /// <summary>Cut short by <see cref="KillNow"/>: the grace of the stop in progress, if any.</summary>
    private volatile CancellationTokenSource? _graceCut;

    internal ComponentRunner(Component component, Supervisor supervisor, SupervisorServices services)
    {
        Component = component;
        _supervisor = supervisor;
        _services = services;
        _backoff = new Backoff(component.Restart, services.Random);
        _since = services.Time.GetUtcNow();
        _run = component.Kind == ComponentKind.External ? 0 : services.Output.LastRun(component.Name);
    }

    /// <summary>The definition it runs by; a reload that changes nothing that needs a restart swaps it in place.</summary>
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

    /// <summary>Probes run on their own, bounded by their timeouts, without a diagnosis: failures are told as events.</summary>
    private CheckRunner Probe => new(_supervisor.Checks, Diagnostician.None);

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
                Active = _session is not null,
                Usage = _pid is null ? null : _usage,
            };
        }
    }

    /// <summary>
    /// Begins a session, unless one is running. It is a new session in every way: a job runs again
    /// (unless it says once = true and completed), a stuck component (crash loop...) starts afresh.
    /// </summary>
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
                }
                else
                {
                    return;
                }
            }
            else
            {
                if (Component.Once && _state == ComponentState.Completed)
                {
                    return;
                }

                BeginSession(maxRounds);
            }
        }

        _supervisor.Changed.Signal();
    }

    /// <summary>Under the lock: the new session's state, set at once, then its task.</summary>
    private void BeginSession(int? maxRounds)
    {
        _maxRoundsOverride = maxRounds;
        if (Component.Rounds is { } rounds)
        {
            _roundsProgress.MaxRounds = maxRounds ?? rounds.MaxRounds;
            _roundsProgress.SessionRounds = 0;
            _roundsProgress.EndedBy = null;
        }

        // At once, not when the session task gets to it: whoever looks right away (what requires
        // it, a `tend up` judging it) must not read the previous session's end (completed,
        // failed, stopped) as this one's.
        _state = ComponentState.Waiting;
        _reason = ComponentStates.SessionStarting;
        _since = _services.Time.GetUtcNow();
        _backoff.Clear();
        _stopSignal = null;
        _stopReason = null;
        _session = new CancellationTokenSource();
        var token = _session.Token;
        _sessionTask = Task.Run(() => SuperviseAsync(token), CancellationToken.None);
    }

    /// <summary>Ends the session: stops the run (signal, grace, KILL) and returns once its process group is empty.</summary>
    /// <param name="signal">A signal of the caller's choosing instead of the component's own (`tend kill`); KILL has no grace.</param>
    /// <param name="reason">Why, when not the user's request: the monitor's alert.</param>
    public async Task StopAsync(int? signal = null, string? reason = null)
    {
        CancellationTokenSource? session;
        Task task;
        lock (_gate)
        {
            session = _session;
            task = _sessionTask;
            _stopSignal = signal;
            _stopReason = reason;
        }

        if (session is null)
        {
            // No session, but left where a failure put it (a crash loop, a broken config, a failed
            // pre-flight): asked to stop, it is stopped, as `tend start` would then begin afresh.
            if (State is ComponentState.CrashLoop or ComponentState.ConfigBroken or ComponentState.Failed)
            {
                SetState(ComponentState.Stopped, reason is null ? "stopped on request" : $"stopped: {reason}");
            }

            return;
        }

        await session.CancelAsync();
        await task;
    }

    /// <summary>
    /// Ends the grace of a stop in progress at once: KILL to the group now. Outside any gate, so
    /// that `tend kill` reaches a stop stuck in a long grace (a program that ignores its signal)
    /// instead of waiting behind it.
    /// </summary>
    public void KillNow()
    {
        try
        {
            _graceCut?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That stop has just ended.
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
}
