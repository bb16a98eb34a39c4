using System.Globalization;
using System.Net;

namespace Tend.Core.Processes;

/// <summary>A listening TCP socket as /proc/net/tcp shows it.</summary>
public sealed record ListeningSocket(IPAddress Address, int Port, long Inode, int Uid);

/// <summary>The process that holds a socket.</summary>
public sealed record SocketHolder(int Pid, string Program, string CommandLine);

/// <summary>
/// Reads listening sockets and their owners straight from /proc, as <c>ss -ltnp</c> does; no
/// library wraps this for .NET, and shelling out to <c>ss</c> would add a dependency and a fork.
/// </summary>
public static class ProcNet
{
    private const string ListenState = "0A";

    public static IReadOnlyList<ListeningSocket> Listeners(int port, string procRoot = "/proc") =>
        [.. AllListeners(procRoot).Where(l => l.Port == port)];

    /// <summary>Every listening TCP socket, IPv4 then IPv6 (`tend diag` lists them with their holders).</summary>
    public static IReadOnlyList<ListeningSocket> AllListeners(string procRoot = "/proc")
    {
        var result = new List<ListeningSocket>();
        foreach (var file in (string[])["net/tcp", "net/tcp6"])
        {
            var path = Path.Combine(procRoot, file);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path).Skip(1))
            {
                if (ParseLine(line) is { } listener)
                {
                    result.Add(listener);
                }
            }
        }

        return result;
    }

    internal static ListeningSocket? ParseLine(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[3] != ListenState)
        {
            return null;
        }

        var local = fields[1].Split(':');
        if (local.Length != 2 || !int.TryParse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var address = ParseAddress(local[0]);
        if (address is null
            || !int.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            return null;
        }

        return new ListeningSocket(address, port, inode, uid);
    }

    /// <summary>The kernel prints each 32-bit word of the address in host (little-endian) order.</summary>
    internal static IPAddress? ParseAddress(string hex)
    {
        if (hex.Length is not (8 or 32))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                var offset = (word * 8) + ((3 - b) * 2);
                if (!byte.TryParse(hex.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                {
                    return null;
                }

                bytes[(word * 4) + b] = value;
            }
        }

        return new IPAddress(bytes);
    }

    /// <summary>Finds the process with a file descriptor on socket <paramref name="inode"/>; null if none is visible to us.</summary>
    public static SocketHolder? FindHolder(long inode, string procRoot = "/proc")
    {
        var target = $"socket:[{inode}]";
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget == target)
                    {
                        return Describe(pid, procRoot);
                    }
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Another user's process, or one that just exited: not ours to see.
            }
        }

        return null;
    }

    public static SocketHolder Describe(int pid, string procRoot = "/proc")
    {
        var directory = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        var program = TryRead(Path.Combine(directory, "comm"))?.Trim() ?? "?";
        var commandLine = TryRead(Path.Combine(directory, "cmdline"))?.Replace('\0', ' ').Trim() ?? "";
        return new SocketHolder(pid, program, commandLine);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }
}
