using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Tend.Daemon.Control;

/// <summary>
/// The address to bind or connect a Unix socket by, even when its path does not fit sockaddr_un
/// (107 bytes: a stack directory of about 90 characters). Such a socket stays where it is, in the
/// private state directory, and is reached through <c>/proc/self/fd/N/daemon.sock</c>, N a
/// descriptor of that directory held while binding or connecting; the kernel resolves the rest.
/// </summary>
/// <remarks>
/// Why not a short socket elsewhere (<c>/tmp/tend-UID/HASH.sock</c> or <c>$XDG_RUNTIME_DIR</c>):
/// that is a second door to secure against a hostile /tmp (owner and mode to check, names to squat),
/// to clean up after a killed daemon, and to agree on (XDG_RUNTIME_DIR differs between a login
/// shell, sudo, cron and systemd units), while the descriptor keeps the one door in the 0700
/// directory, found the same way by every client. Why not a relative path after chdir: the working
/// directory belongs to the whole process, and both the CLI and the daemon run many threads.
/// </remarks>
public sealed partial class UnixSocketAddress : IDisposable
{
    /// <summary>sun_path holds 108 bytes with the terminating NUL.</summary>
    private const int MaxPathBytes = 107;

    private const int PathOnly = 0x200000; // O_PATH: a handle to name the directory by, nothing read.
    private const int CloseOnExec = 0x80000; // O_CLOEXEC: the daemon's children must not inherit it.

    private int _directory;

    private UnixSocketAddress(UnixDomainSocketEndPoint endPoint, int directory)
    {
        EndPoint = endPoint;
        _directory = directory;
    }

    public UnixDomainSocketEndPoint EndPoint { get; }

    /// <summary>The address of <paramref name="path"/>; dispose it once bound or connected.</summary>
    /// <exception cref="IOException">The path is too long and its directory cannot be opened (gone, not a directory, or no /proc).</exception>
    public static UnixSocketAddress Of(string path)
    {
        if (Encoding.UTF8.GetByteCount(path) <= MaxPathBytes)
        {
            return new UnixSocketAddress(new UnixDomainSocketEndPoint(path), -1);
        }

        var directory = Path.GetDirectoryName(path) ?? "/";
        var descriptor = Open(directory, PathOnly | CloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"{directory}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var shortPath = $"/proc/self/fd/{descriptor}/{Path.GetFileName(path)}";
        if (!Directory.Exists($"/proc/self/fd/{descriptor}/"))
        {
            _ = Close(descriptor);
            throw new IOException($"the socket path {path} is longer than {MaxPathBytes} bytes and /proc is not mounted to reach it by a short one: keep the stack in a shorter directory");
        }

        return new UnixSocketAddress(new UnixDomainSocketEndPoint(shortPath), descriptor);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _directory, -1) is var directory and >= 0)
        {
            _ = Close(directory);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
