namespace Tend.Daemon.Monitoring;

/// <summary>Mount points from /proc/self/mountinfo, to tell which filesystem holds a path (the longest mount point above it).</summary>
internal static class MountTable
{
    private static readonly System.Buffers.SearchValues<char> OctalDigits = System.Buffers.SearchValues.Create("01234567");

    public static List<string> Read(string mountinfo)
    {
        var mounts = new List<string>();
        try
        {
            foreach (var line in File.ReadLines(mountinfo))
            {
                // "36 35 98:0 /mnt1 /mnt2 rw,noatime ...": the fifth field, with spaces as \040.
                var fields = line.Split(' ', 6);
                if (fields.Length >= 5)
                {
                    mounts.Add(Unescape(fields[4]));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No mountinfo (not Linux, a hardened /proc): every path counts as on "/".
        }

        return mounts;
    }

    public static string MountOf(IReadOnlyList<string> mounts, string path)
    {
        var full = Path.GetFullPath(path);
        var best = "/";
        foreach (var mount in mounts)
        {
            var within = full == mount || full.StartsWith(mount.EndsWith('/') ? mount : mount + "/", StringComparison.Ordinal);
            if (within && mount.Length > best.Length)
            {
                best = mount;
            }
        }

        return best;
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new System.Text.StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).IndexOfAnyExcept(OctalDigits) < 0)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
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
