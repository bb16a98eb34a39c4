using Tend.Core.Text;

namespace Tend.Daemon.Supervision;

/// <summary>
/// The one curve of waits after failures, for restarts and for rounds alike: a start that doubles
/// with each attempt up to a cap, spread by ±20% so a stack of failing components does not
/// retry in lockstep, in whole milliseconds as the events say them.
/// </summary>
internal static class BackoffCurve
{
    private const double Spread = 0.2;

    /// <summary><paramref name="start"/> × 2^<paramref name="doublings"/>, no more than <paramref name="cap"/>.</summary>
    public static TimeSpan Doubled(TimeSpan start, int doublings, TimeSpan cap)
    {
        var milliseconds = start.TotalMilliseconds * Math.Pow(2, Math.Clamp(doublings, 0, 30));
        return milliseconds >= cap.TotalMilliseconds ? cap : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary><paramref name="delay"/> spread by ±20%, kept within [<paramref name="floor"/>, <paramref name="cap"/>].</summary>
    public static TimeSpan Jittered(TimeSpan delay, Random random, TimeSpan floor, TimeSpan cap)
    {
        var spread = delay.TotalMilliseconds * (1 - Spread + (2 * Spread * random.NextDouble()));
        return Quantities.WholeMilliseconds(TimeSpan.FromMilliseconds(Math.Clamp(spread, floor.TotalMilliseconds, cap.TotalMilliseconds)));
    }
}
