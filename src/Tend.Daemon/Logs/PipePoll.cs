using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Tend.Daemon.Logs;

/// <summary>
/// poll(2) on a run's two output pipes, so that one thread reads both: a thread is a stack and
/// kernel state kept for the whole life of a run, and a stack of fifty idle services would keep a
/// hundred readers asleep. .NET has no poll over several handles without going through epoll and
/// the thread pool, whose cost per read the plain blocking reads were chosen to avoid.
/// </summary>
internal static partial class PipePoll
{
    private const short PollIn = 0x001;
    private const int Interrupted = 4; // EINTR

    /// <summary>The pipe handle of a stream that can be polled, or null (a test's memory stream, a closed pipe).</summary>
    public static SafeHandle? HandleOf(Stream stream) =>
        stream is PipeStream { SafePipeHandle: { IsInvalid: false, IsClosed: false } handle } ? handle : null;

    /// <summary>
    /// Waits until one of the descriptors has data or is at its end; a negative descriptor is skipped.
    /// Returns false when poll itself fails for any reason but an interrupted call.
    /// </summary>
    public static bool Wait(Span<PollDescriptor> descriptors)
    {
        while (true)
        {
            for (var i = 0; i < descriptors.Length; i++)
            {
                descriptors[i].Events = PollIn;
                descriptors[i].ReturnedEvents = 0;
            }

            if (Poll(ref MemoryMarshal.GetReference(descriptors), (nuint)descriptors.Length, -1) >= 0)
            {
                return true;
            }

            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                return false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);
}

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Descriptor;
    public short Events;
    public short ReturnedEvents;
}
