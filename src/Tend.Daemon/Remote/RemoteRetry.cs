namespace Tend.Daemon.Remote;

/// <summary>What to do after a link to a host went down.</summary>
/// <param name="RetryIn">How long to wait before the next attempt; zero when giving up.</param>
/// <param name="DownFor">How long the host has been unreachable, from the first failure of this outage.</param>
public sealed record RetryStep(bool GiveUp, TimeSpan RetryIn, TimeSpan DownFor);

/// <summary>
/// The back-off of a link that dropped: 1 s, doubling to 30 s, while the outage lasts less than
/// the tolerance (<c>--remote-failure-tolerance</c>, default 90 s); the last wait is cut short so
/// that the give-up comes at the tolerance, not up to 30 s after it. A link that comes back
/// starts the next outage afresh.
/// </summary>
public sealed class RemoteRetry(TimeSpan tolerance, TimeProvider time)
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private long? _downSince;
    private TimeSpan _next = FirstDelay;

    public TimeSpan Tolerance => tolerance;

    /// <summary>An attempt failed (or the link dropped): wait, or give up.</summary>
    public RetryStep Failed()
    {
        _downSince ??= time.GetTimestamp();
        var down = time.GetElapsedTime(_downSince.Value);
        if (down >= tolerance)
        {
            return new RetryStep(true, TimeSpan.Zero, down);
        }

        var wait = _next < tolerance - down ? _next : tolerance - down;
        _next = _next * 2 < MaxDelay ? _next * 2 : MaxDelay;
        return new RetryStep(false, wait, down);
    }

    /// <summary>The link is up again.</summary>
    public void Connected()
    {
        _downSince = null;
        _next = FirstDelay;
    }
}
