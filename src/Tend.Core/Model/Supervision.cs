namespace Tend.Core.Model;

public enum RestartMode
{
    /// <summary>Never restarted: a job runs once, a service that exits stays exited.</summary>
    No,

    /// <summary>Restarted when it exits with a non-zero code or is killed by a signal.</summary>
    OnFailure,

    /// <summary>Restarted whenever it exits, unless tend stopped it.</summary>
    Always,
}

/// <summary>
/// When and how fast a component is restarted: exponential back-off with jitter between
/// <see cref="BackoffMin"/> and <see cref="BackoffMax"/>, reset once a run has stayed up for
/// <see cref="ResetAfter"/>; more than <see cref="Budget"/> restarts within <see cref="BudgetWindow"/>
/// and the component is left in crash_loop.
/// </summary>
public sealed record RestartPolicy(
    RestartMode Mode,
    TimeSpan BackoffMin,
    TimeSpan BackoffMax,
    TimeSpan ResetAfter,
    int Budget,
    TimeSpan BudgetWindow,
    bool OnUnhealthy)
{
    public static RestartPolicy DefaultFor(ComponentKind kind) => new(
        kind is ComponentKind.Job or ComponentKind.Rounds ? RestartMode.No : RestartMode.OnFailure,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(30),
        5,
        TimeSpan.FromMinutes(2),
        OnUnhealthy: true);

    /// <summary>Whether a run that failed its liveness probe is restarted.</summary>
    public bool RestartsWhenUnhealthy => Mode != RestartMode.No && OnUnhealthy;

    /// <summary>Whether a run that exited by itself, well or not, is restarted.</summary>
    public bool RestartsAfter(bool succeeded) => Mode == RestartMode.Always || (Mode == RestartMode.OnFailure && !succeeded);

    public string ModeName => Mode switch
    {
        RestartMode.No => "no",
        RestartMode.OnFailure => "on-failure",
        RestartMode.Always => "always",
        _ => throw new InvalidOperationException($"unknown restart mode {Mode}"),
    };
}

/// <summary>How a run is stopped: this signal to its whole process group, then KILL after the grace period.</summary>
public sealed record StopPolicy(string Signal, int SignalNumber, TimeSpan Grace)
{
    public static readonly StopPolicy Default = new("TERM", Processes.Signals.SIGTERM, TimeSpan.FromSeconds(10));
}

/// <summary>How much of the stack's events is kept: daily files, all of them within a size and a number of days.</summary>
public sealed record EventsPolicy(long MaxBytes, int KeepDays)
{
    public static readonly EventsPolicy Default = new(100_000_000, 30);
}

/// <summary>How much of a component's output is kept: files capped in size, and retained by count.</summary>
/// <param name="DropWhenFull">
/// What happens when the disk is slower than the output and the backlog in memory is full: false
/// (<c>on_full = "block"</c>, the default) stops reading the pipe so the child waits in write(2),
/// as supervisord does, and no line is lost; true (<c>"drop"</c>) keeps the child going and drops
/// output, with a marker line saying how much.
/// </param>
public sealed record LogPolicy(long MaxFileBytes, int KeepFiles, bool DropWhenFull = false)
{
    public static readonly LogPolicy Default = new(10_000_000, 10);

    /// <summary>A round is a run: keep the last hundred rounds, as agent supervisors do.</summary>
    public static readonly LogPolicy DefaultForRounds = new(10_000_000, 100);
}
