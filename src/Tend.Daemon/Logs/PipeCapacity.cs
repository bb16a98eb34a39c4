using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Tend.Daemon.Logs;

/// <summary>
/// Grows the kernel buffer of a child's output pipe (64 KiB by default) with
/// <c>F_SETPIPE_SZ</c>, so that a burst waits in the pipe while the reader frames the last
/// one, and a reader that fell behind catches up in fewer, larger reads. Best effort: the
/// pipe is only larger, never required to be.
/// </summary>
internal static class PipeCapacity
{
    // Pipe pages count against the user's pipe-user-pages-soft (64 MiB by default), which other
    // programs of the same user share: 256 KiB a stream keeps a hundred streams well inside it.
    public const int Bytes = 256 * 1024;

    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    public static void TryGrow(Stream stream)
    {
        SafeHandle? handle = stream switch
        {
            PipeStream pipe => pipe.SafePipeHandle,
            FileStream file => file.SafeFileHandle,
            _ => null,
        };
        if (handle is null || handle.IsInvalid || handle.IsClosed)
        {
            return;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            // Fails on a regular file or past the user's limits; the default size still works.
            TryGrow((int)handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nothing to grow.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The same for a descriptor the caller holds open.</summary>
    public static void TryGrow(int descriptor) => _ = Epoll.Fcntl(descriptor, SetPipeSize, Bytes);
}
