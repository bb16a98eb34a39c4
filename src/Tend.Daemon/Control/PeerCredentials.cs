using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tend.Daemon.Control;

/// <summary>
/// Who is on the other end of a Unix socket, from SO_PEERCRED. The socket file is already 0600 in
/// a 0700 directory; checking the caller's uid as well means a mistaken chmod cannot open the door.
/// </summary>
public static partial class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer's (pid, uid), or null when the kernel does not say.</summary>
    public static (int Pid, uint Uid)? Of(Socket socket)
    {
        Span<byte> credentials = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        if (length < 12)
        {
            return null;
        }

        return (BitConverter.ToInt32(credentials[..4]), BitConverter.ToUInt32(credentials[4..8]));
    }

    public static uint CurrentUid => GetUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetUid();
}
