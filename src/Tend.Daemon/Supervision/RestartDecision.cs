using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Daemon.Supervision;

/// <summary>What follows a run that ended by itself (or by its liveness probe): decided in this one place.</summary>
internal abstract record RunFollowUp
{
    private RunFollowUp()
    {
    }

    /// <summary>It could not start; it will not by trying again, or (resources) it is tried again after a back-off.</summary>
    public sealed record StartFailed(LaunchFailure Failure) : RunFollowUp;

    public sealed record JobCompleted : RunFollowUp;

    /// <summary>Exit 78: its configuration is broken; never restarted.</summary>
    public sealed record ConfigBroken : RunFollowUp;

    /// <summary>Left as it is by its restart policy: a job failed, a service exited.</summary>
    public sealed record NotRestarted(ComponentState Final, string Reason) : RunFollowUp;

    public sealed record CrashLoop(string Reason) : RunFollowUp;

    /// <summary>Started again after <paramref name="Delay"/>; <paramref name="BackoffReset"/> when the run stayed up long enough to clear the back-off first.</summary>
    public sealed record Restart(TimeSpan Delay, bool BackoffReset) : RunFollowUp;
}

internal static class RestartDecision
{
    public static RunFollowUp After(RunEnd end, Component component, Backoff backoff, DateTimeOffset now)
    {
        var policy = component.Restart;
        if (end.StartFailure is { Transient: false } failure)
        {
            // A program that is missing or not executable will not appear by restarting it.
            return new RunFollowUp.StartFailed(failure);
        }

        if (component.Kind == ComponentKind.Job && end.Succeeded)
        {
            return new RunFollowUp.JobCompleted();
        }

        if (end.ExitCode == ExitStatus.ConfigError)
        {
            return new RunFollowUp.ConfigBroken();
        }

        var restart = end.StartFailure is not null
            || (end.LivenessReason is not null ? policy.RestartsWhenUnhealthy : policy.RestartsAfter(end.Succeeded));
        if (!restart)
        {
            return new RunFollowUp.NotRestarted(component.Kind == ComponentKind.Job ? ComponentState.Failed : ComponentState.Exited, $"{end.Describe()} (restart policy: {policy.ModeName})");
        }

        var reset = backoff.RunEnded(end.Uptime);
        if (!backoff.WithinBudget(now))
        {
            return new RunFollowUp.CrashLoop($"{backoff.RecentRestarts} restarts within {Quantities.FormatDuration(policy.BudgetWindow)}, last: {end.Describe()}");
        }

        return new RunFollowUp.Restart(backoff.NextDelay(now), reset);
    }
}
