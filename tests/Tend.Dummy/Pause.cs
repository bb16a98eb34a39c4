namespace Tend.Dummy;

/// <summary>Waiting through <see cref="TimeProvider.System"/>; the repo bans clock-less delays.</summary>
internal static class Pause
{
    public static Task For(long milliseconds) =>
        milliseconds <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(milliseconds), TimeProvider.System);

    /// <summary>Never completes; the process runs until it is killed.</summary>
    public static Task Forever() => Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System);
}
