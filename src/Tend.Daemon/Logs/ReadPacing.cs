namespace Tend.Daemon.Logs;

/// <summary>
/// Lets a pipe gather output before the next read when the last one was small. A child that
/// writes many short lines unbuffered would otherwise cost a wake-up, a read, a block and a
/// write per line (measured: about 2 µs of CPU a line, half a core at 200,000 lines a second).
/// After a pause of a millisecond, one read takes everything that came meanwhile.
/// </summary>
/// <remarks>
/// The pause cannot block a child: the pipe holds <see cref="PipeCapacity.Bytes"/>, which only
/// a child going from quiet to more than 256 MB/s fills within a millisecond, and then it
/// waits for that millisecond once; from there reads are large and there is no pause.
/// </remarks>
internal static class ReadPacing
{
    /// <summary>Reads smaller than this are followed by a pause; larger ones mean output is heavy, read on at once.</summary>
    public const int SmallRead = 16 * 1024;

    public static void AfterRead(int bytes)
    {
        if (bytes < SmallRead)
        {
            // A plain sleep of the reader's own thread: not a timeout or a back-off that tests
            // would fake through a TimeProvider, and a timer would wake a second thread to wake
            // this one, which is the cost being saved.
#pragma warning disable RS0030
            Thread.Sleep(1);
#pragma warning restore RS0030
        }
    }
}
