using System.Globalization;

namespace Tend.Daemon.Processes;

/// <summary>What /proc/PID/stat says about a process, for telling a live run from a reused PID.</summary>
public sealed record ProcStat(int Pid, char State, int ParentPid, int ProcessGroup, int Session, long StartTicks)
{
    /// <summary>User and system CPU time used so far, in clock ticks (<see cref="ClockTicksPerSecond"/>).</summary>
    public long CpuTicks { get; init; }

    /// <summary>Resident pages (RSS), of <see cref="Environment.SystemPageSize"/> bytes.</summary>
    public long ResidentPages { get; init; }

    /// <summary>USER_HZ, which /proc counts CPU time in: 100 on every Linux architecture Tend runs on.</summary>
    public const int ClockTicksPerSecond = 100;

    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>
    /// The process once seen with this PID and start time is still running: not gone, not a zombie,
    /// and not another process that was handed the PID since.
    /// </summary>
    public static bool IsStillRunning(int pid, long? startTicks, string procRoot = "/proc") =>
        Read(pid, procRoot)?.IsRunningSince(startTicks) == true;

    /// <summary>This is the process that started at <paramref name="startTicks"/>, and it has not exited.</summary>
    public bool IsRunningSince(long? startTicks) => !IsZombie && StartTicks == startTicks;

    /// <summary>Null when there is no such process (or it vanished while we looked).</summary>
    public static ProcStat? Read(int pid, string procRoot = "/proc")
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(pid, text);
    }

    /// <summary>The command name may hold spaces and parentheses, so fields are read after the last ')'.</summary>
    internal static ProcStat? Parse(int pid, string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var session)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        long.TryParse(fields[11], NumberStyles.Integer, CultureInfo.InvariantCulture, out var user);
        long.TryParse(fields[12], NumberStyles.Integer, CultureInfo.InvariantCulture, out var system);
        var resident = fields.Length > 21 && long.TryParse(fields[21], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pages) ? pages : 0;
        return new ProcStat(pid, fields[0][0], parent, group, session, start) { CpuTicks = user + system, ResidentPages = resident };
    }

    /// <summary>The command line of a process, arguments joined by spaces; empty when unreadable.</summary>
    public static string CommandLine(int pid, string procRoot = "/proc")
    {
        try
        {
            return File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline")).Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Every live (not zombie) process whose process group is <paramref name="group"/>.</summary>
    public static IReadOnlyList<ProcStat> GroupMembers(int group, string procRoot = "/proc") =>
        [.. Live(procRoot).Where(p => p.ProcessGroup == group)];

    /// <summary>Every live (not zombie) process /proc shows, read one by one: one may vanish while we look.</summary>
    public static IEnumerable<ProcStat> Live(string procRoot = "/proc")
    {
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid, procRoot) is { IsZombie: false } stat)
            {
                yield return stat;
            }
        }
    }
}
