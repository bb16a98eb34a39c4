using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Tend.Daemon.Logs;

/// <summary>
/// Takes a child's output pipe out of .NET's <see cref="System.Diagnostics.Process"/>: a duplicate of
/// the descriptor in a plain pipe stream, and the process's <see cref="StreamReader"/> disposed.
/// The reader is of no use to the capture, which reads bytes, and it holds 12 KB of buffers for as
/// long as the run lives (24 KB a run: 12 MB of a daemon with 500 services).
/// </summary>
internal static class PipeHandover
{
    private const int DuplicateCloseOnExec = 1030; // F_DUPFD_CLOEXEC

    /// <summary>
    /// The pipe behind <paramref name="reader"/> as a stream of its own (the caller disposes it), and
    /// the reader disposed: true. The reader's own stream when it is not a pipe or cannot be duplicated: false.
    /// </summary>
    public static bool TryTake(StreamReader reader, out Stream stream)
    {
        ArgumentNullException.ThrowIfNull(reader);
        stream = reader.BaseStream;
        if (reader.BaseStream is not PipeStream { SafePipeHandle: { IsInvalid: false, IsClosed: false } handle })
        {
            return false;
        }

        var added = false;
        int duplicate;
        try
        {
            handle.DangerousAddRef(ref added);
            duplicate = Epoll.Fcntl((int)handle.DangerousGetHandle(), DuplicateCloseOnExec, 0);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        if (duplicate < 0)
        {
            // Out of descriptors: the reader's stream still works, with its buffers.
            return false;
        }

        reader.Dispose();
        stream = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(duplicate, ownsHandle: true));
        return true;
    }
}
