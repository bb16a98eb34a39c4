using Tend.Core.Model;

namespace Tend.Daemon.Supervision;

/// <summary>
/// The restart arithmetic of one component, pure so that it can be tested without processes:
/// exponential delays with jitter, reset after a run stayed up long enough, and the budget of
/// restarts within a window after which the component is declared in a crash loop.
/// </summary>
public sealed class Backoff(RestartPolicy policy, Random random)
{
    private readonly Queue<DateTimeOffset> _restarts = new();

    /// <summary>Consecutive failed runs since the last reset; drives the exponent.</summary>
    public int Attempt { get; private set; }

    /// <summary>Restarts inside the budget window, as of the last call.</summary>
    public int RecentRestarts => _restarts.Count;

    /// <summary>The attempt count that the last reset cleared.</summary>
    public int LastResetAttempts { get; private set; }

    /// <summary>Records that a run ended after <paramref name="uptime"/>; true when this reset the back-off.</summary>
    public bool RunEnded(TimeSpan uptime)
    {
        if (uptime >= policy.ResetAfter && Attempt > 0)
        {
            LastResetAttempts = Attempt;
            Attempt = 0;
            return true;
        }

        return false;
    }

    /// <summary>Whether one more restart at <paramref name="now"/> stays within the budget.</summary>
    public bool WithinBudget(DateTimeOffset now)
    {
        while (_restarts.Count > 0 && now - _restarts.Peek() > policy.BudgetWindow)
        {
            _restarts.Dequeue();
        }

        return _restarts.Count < policy.Budget;
    }

    /// <summary>Takes one restart from the budget and returns how long to wait before it.</summary>
    public TimeSpan NextDelay(DateTimeOffset now)
    {
        _restarts.Enqueue(now);
        Attempt++;
        if (policy.BackoffMax <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return BackoffCurve.Jittered(BackoffCurve.Doubled(policy.BackoffMin, Attempt - 1, policy.BackoffMax), random, policy.BackoffMin, policy.BackoffMax);
    }

    /// <summary>`tend start` after a crash loop begins from scratch.</summary>
    public void Clear()
    {
        Attempt = 0;
        _restarts.Clear();
    }
}
