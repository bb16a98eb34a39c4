using Tend.Core.Model;
namespace Tend.Core.Workflows.Running;

/// <summary>When a failed attempt is tried again, and after how long.</summary>
public static class RetryDelay
{
    /// <summary>The wait before attempt <paramref name="failedAttempt"/> + 1: delay × attempt (linear) or × 2^(attempt-1) (exponential).</summary>
    public static TimeSpan After(RetryPolicy retry, int failedAttempt)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var factor = retry.Backoff == Backoff.Linear ? failedAttempt : Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(retry.Delay.Ticks * factor, TimeSpan.FromDays(1).Ticks));
    }

    /// <summary>Whether the policy retries this failure: its exit code listed, or its output in a listed class; any failure when it lists neither.</summary>
    public static bool Applies(RetryPolicy retry, int? exitCode, string? failureClass)
    {
        ArgumentNullException.ThrowIfNull(retry);
        if (retry.OnExitCodes.Count == 0 && retry.OnClasses.Count == 0)
        {
            return true;
        }

        return (exitCode is { } code && retry.OnExitCodes.Contains(code))
            || (failureClass is not null && (retry.OnClasses.Contains(failureClass) || (retry.OnClasses.Contains(FailureClasses.Transient) && FailureClasses.IsTransient(failureClass))));
    }
}
