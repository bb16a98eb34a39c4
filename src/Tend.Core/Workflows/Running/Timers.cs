namespace Tend.Core.Workflows.Running;

/// <summary>The longest delay a .NET timer takes.</summary>
internal static class Timers
{
    /// <summary>About 24.8 days: a longer delay makes a timer throw (a `policy.timeout = "100d"` ended the run in an internal error).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>
    /// <paramref name="delay"/>, or <see cref="Longest"/> when it is longer: a run or step given a
    /// longer timeout than that is stopped after 24 days, which no user waits for.
    /// </summary>
    public static TimeSpan Capped(TimeSpan delay) => delay < Longest ? delay : Longest;
}
