using System.Globalization;
using System.Runtime.InteropServices;

namespace Tend.Daemon.Hosting;

/// <summary>
/// Lets go of the file pages of the binary and its libraries that start-up touched and an idle
/// daemon no longer reads: the native binary is 29 MB, and parsing the stack file, starting 50
/// runs or answering a dashboard's first requests leaves 16 MB of it mapped and counted in the
/// daemon's RSS long after. madvise(MADV_DONTNEED) on a mapping unmaps its pages from this
/// process only: they stay in the page cache (shared with every `tend` the user runs), and a page
/// the daemon reads again comes back by a minor fault. What stays resident is then what the daemon
/// really uses, which is what its RSS should say.
/// </summary>
/// <remarks>
/// Only mappings that cannot have changed since they were read from their file are released:
/// file-backed, not writable, and with no anonymous (copy-on-write) page (a relocated read-only
/// segment has some, and releasing it would bring back the file's unrelocated bytes). A mapping
/// that is not writable now cannot gain such a page later, so reading smaps first is not a race.
/// Hand-written because no library exposes madvise; .NET's own trimming stops at the GC heap.
/// </remarks>
internal static partial class CleanPageRelease
{
    private const int MadviseDontNeed = 4;

    /// <summary>Releases what it can; the kilobytes it released (0 where it cannot: not Linux, no /proc).</summary>
    public static long Run(string smapsPath = "/proc/self/smaps")
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        List<CleanMapping> mappings;
        try
        {
            mappings = Read(File.ReadLines(smapsPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        long released = 0;
        foreach (var mapping in mappings)
        {
            if (madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), MadviseDontNeed) == 0)
            {
                released += mapping.ResidentKb;
            }
        }

        return released;
    }

    /// <summary>A mapping that may be released, with what of it is resident now.</summary>
    internal readonly record struct CleanMapping(ulong Start, ulong End, long ResidentKb);

    /// <summary>The mappings of an smaps text that are file-backed, read-only, private or shared, with no anonymous page and something resident.</summary>
    internal static List<CleanMapping> Read(IEnumerable<string> smaps)
    {
        var found = new List<CleanMapping>();
        ulong start = 0, end = 0;
        var candidate = false;
        long resident = 0, anonymous = -1;

        void Close()
        {
            if (candidate && anonymous == 0 && resident > 0)
            {
                found.Add(new CleanMapping(start, end, resident));
            }
        }

        foreach (var line in smaps)
        {
            if (Header(line) is { } header)
            {
                Close();
                (start, end, candidate) = header;
                resident = 0;
                anonymous = -1;
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
        }

        Close();
        return found;
    }

    /// <summary>A mapping's first line (<c>START-END PERMS OFFSET DEV INODE PATH</c>), and whether it may be released; null for a field line.</summary>
    private static (ulong Start, ulong End, bool Candidate)? Header(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0].EndsWith(':'))
        {
            return null;
        }

        var dash = fields[0].IndexOf('-', StringComparison.Ordinal);
        if (dash < 1)
        {
            return null;
        }

        if (!ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        var permissions = fields[1];
        var path = fields.Length > 5 ? fields[5].Trim() : "";
        // A path, not [heap], [stack], [vdso] or an anonymous region; " (deleted)" files are left alone too.
        var fileBacked = path.StartsWith('/') && !path.EndsWith(" (deleted)", StringComparison.Ordinal);
        var candidate = fileBacked && permissions.Length == 4 && permissions[0] == 'r' && permissions[1] == '-';
        return (start, end, candidate);
    }

    private static long Kilobytes(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
