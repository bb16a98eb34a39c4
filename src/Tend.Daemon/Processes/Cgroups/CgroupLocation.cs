using System.Text;

namespace Tend.Daemon.Processes.Cgroups;

/// <summary>
/// Where this process's own cgroup v2 directory is, read from the kernel rather than assumed:
/// the cgroup2 mount from /proc/self/mountinfo (at /sys/fs/cgroup on a unified layout,
/// /sys/fs/cgroup/unified on a hybrid one, elsewhere in a container), and the process's path in
/// that hierarchy from the <c>0::</c> line of /proc/self/cgroup (under systemd, the unit's cgroup,
/// which is writable when the unit has <c>Delegate=yes</c>).
/// </summary>
public static class CgroupLocation
{
    /// <summary>The directory of this process's cgroup, or why there is none to use.</summary>
    public static (string? Directory, string? Problem) OfThisProcess(string procSelf = "/proc/self")
    {
        string mountInfo, cgroup;
        try
        {
            mountInfo = File.ReadAllText(Path.Combine(procSelf, "mountinfo"));
            cgroup = File.ReadAllText(Path.Combine(procSelf, "cgroup"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read {procSelf}: {e.Message}");
        }

        if (OwnPath(cgroup) is not { } own)
        {
            return (null, "this process is in no cgroup v2 hierarchy (no 0:: line in /proc/self/cgroup)");
        }

        var mounts = Cgroup2Mounts(mountInfo);
        if (mounts.Count == 0)
        {
            return (null, "no cgroup2 file system is mounted");
        }

        foreach (var (root, mountPoint) in mounts)
        {
            if (Under(own, root) is { } relative)
            {
                return (relative.Length == 0 ? mountPoint : Path.Join(mountPoint, relative), null);
            }
        }

        return (null, $"this process's cgroup {own} is outside the cgroup2 mount at {mounts[0].MountPoint}");
    }

    /// <summary>The path of the <c>0::/path</c> line (the unified hierarchy); null without one.</summary>
    internal static string? OwnPath(string procSelfCgroup)
    {
        foreach (var line in procSelfCgroup.Split('\n'))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line[3..].Trim();
            }
        }

        return null;
    }

    /// <summary>Every cgroup2 mount: the cgroup it shows (its root) and where it is mounted.</summary>
    internal static IReadOnlyList<(string Root, string MountPoint)> Cgroup2Mounts(string mountInfo)
    {
        var found = new List<(string, string)>();
        foreach (var line in mountInfo.Split('\n'))
        {
            // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw": optional fields end at " - ".
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var fields = line[..separator].Split(' ');
            var after = line[(separator + 3)..].Split(' ');
            if (fields.Length >= 5 && after.Length >= 1 && after[0] == "cgroup2")
            {
                found.Add((Unescape(fields[3]), Unescape(fields[4])));
            }
        }

        return found;
    }

    /// <summary><paramref name="path"/> relative to <paramref name="root"/> (empty when equal); null when it is not under it.</summary>
    private static string? Under(string path, string root)
    {
        if (root == "/")
        {
            return path.TrimStart('/');
        }

        return path == root ? "" : path.StartsWith(root + "/", StringComparison.Ordinal) ? path[(root.Length + 1)..] : null;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes (\040...).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).ToString() is var octal && octal.All(c => c is >= '0' and <= '7'))
            {
                text.Append((char)Convert.ToInt32(octal, 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
