using Tend.Daemon.Supervision;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>The wait between a notifier's attempts: 1 s, 2 s, 4 s, ... up to a minute, on the one back-off curve.</summary>
internal static class RetryDelay
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan After(int attempt) => BackoffCurve.Doubled(First, attempt - 1, Cap);
}
