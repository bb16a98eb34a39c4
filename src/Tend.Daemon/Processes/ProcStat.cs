using System.Buffers.Text;
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
    /// <remarks>
    /// Read into a buffer on the stack and parsed as bytes: a scan of /proc reads every process's
    /// stat (the stops' shared scan, the usage sampler every few seconds), and File.ReadAllText
    /// cost ~10 KB of garbage each, 15 MB a scan on a host of 1,500 processes.
    /// </remarks>
    public static ProcStat? Read(int pid, string procRoot = "/proc")
    {
        Span<byte> buffer = stackalloc byte[1024];
        var length = Core.Processes.KernelFile.Read(Path.Join(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"), buffer);
        return length < 0 ? null : Parse(pid, buffer[..length]);
    }

    /// <summary>The command name may hold spaces and parentheses, so fields are read after the last ')'.</summary>
    internal static ProcStat? Parse(int pid, string text) => Parse(pid, System.Text.Encoding.UTF8.GetBytes(text));

    private static ProcStat? Parse(int pid, ReadOnlySpan<byte> text)
    {
        var close = text.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        // Fields after the name: 0 state, 1 ppid, 2 pgrp, 3 session, 11 utime, 12 stime, 19 starttime, 21 rss.
        Span<long> numbers = stackalloc long[22];
        var rest = text[(close + 2)..];
        var state = rest[0];
        var field = 0;
        foreach (var range in rest.Split((byte)' '))
        {
            if (field >= numbers.Length)
            {
                break;
            }

            if (field > 0 && !Utf8Parser.TryParse(rest[range].TrimEnd((byte)'\n'), out numbers[field], out _))
            {
                return null;
            }

            field++;
        }

        if (field < 20)
        {
            return null;
        }

        return new ProcStat(pid, (char)state, (int)numbers[1], (int)numbers[2], (int)numbers[3], numbers[19])
        {
            CpuTicks = numbers[11] + numbers[12],
            ResidentPages = field > 21 ? numbers[21] : 0,
        };
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
