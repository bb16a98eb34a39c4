namespace Tend.Daemon.Supervision;

/// <summary>
/// A timer armed from one reading of the clock counts from the moment it is created, not from that
/// reading. If the clock jumped in between (a test's fake clock moved on; a suspended machine woke up),
/// the timer would run that jump too long, and a fake clock that is not moved again would never fire it.
/// Waits that arm a timer from a reading check for such a jump afterwards and, if there was one, read again.
/// </summary>
internal static class ClockJumps
{
    // A real clock moves microseconds between the two readings; more than this means a jump (or a long
    // preemption, which costs no more than one more turn of the caller's loop).
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(20);

    public static bool JumpedSince(this TimeProvider time, DateTimeOffset reading) =>
        time.GetUtcNow() - reading > Tolerance;
}
