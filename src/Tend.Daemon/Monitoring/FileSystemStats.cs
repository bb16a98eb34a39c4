using System.Runtime.InteropServices;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// statvfs(3) of a path: sizes and the filesystem's id. Through LibraryImport because .NET's
/// DriveInfo gives sizes but not the id, and the id is what tells two paths on one filesystem from
/// two filesystems that a mount table alone cannot tell apart (a mount in another namespace
/// reached through /proc/PID/root).
/// </summary>
internal static partial class FileSystemStats
{
    /// <param name="Id">f_fsid: the same for every path on one filesystem.</param>
    /// <param name="AvailableBytes">What an unprivileged user may still write (f_bavail).</param>
    public readonly record struct Stats(ulong Id, long TotalBytes, long FreeBytes, long AvailableBytes)
    {
        /// <summary>As df computes Use%: used over what an unprivileged user could ever have, rounded up to a tenth.</summary>
        public double UsedPercent
        {
            get
            {
                var used = TotalBytes - FreeBytes;
                return used + AvailableBytes <= 0 ? 0 : Math.Ceiling(1000.0 * used / (used + AvailableBytes)) / 10;
            }
        }
    }

    public static Stats? Of(string path)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        if (statvfs(path, out var raw) != 0)
        {
            return null;
        }

        var unit = (long)(raw.f_frsize != 0 ? raw.f_frsize : raw.f_bsize);
        return new Stats(raw.f_fsid, (long)raw.f_blocks * unit, (long)raw.f_bfree * unit, (long)raw.f_bavail * unit);
    }

    // glibc's struct statvfs on 64-bit Linux (x86-64 and aarch64 alike): eleven unsigned longs, then six ints of padding.
    [StructLayout(LayoutKind.Sequential)]
    private struct RawStatvfs
    {
        public ulong f_bsize;
        public ulong f_frsize;
        public ulong f_blocks;
        public ulong f_bfree;
        public ulong f_bavail;
        public ulong f_files;
        public ulong f_ffree;
        public ulong f_favail;
        public ulong f_fsid;
        public ulong f_flag;
        public ulong f_namemax;
        public int spare0, spare1, spare2, spare3, spare4, spare5;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statvfs(string path, out RawStatvfs buffer);
}
