using Tend.Core.Operations.Systemd;
using Tend.Core.Status;

namespace Tend.Daemon.Hosting;

/// <summary>Whether the daemon runs as a systemd service, and which, from what systemd put in its environment.</summary>
public static class SystemdEnvironment
{
    /// <summary>
    /// Under systemd when INVOCATION_ID (set by systemd for every unit it starts) and NOTIFY_SOCKET
    /// (the Type=notify unit's) are both set: a shell inside some other unit has the first only.
    /// The unit's name and manager come from the variables tend's unit sets (<c>%n</c>); a unit
    /// written by hand gets the name from /proc/self/cgroup.
    /// </summary>
    public static SystemdSnapshot? Detect(Func<string, string?> environment, string procSelf = "/proc/self")
    {
        if (environment("INVOCATION_ID") is not { Length: > 0 } || environment("NOTIFY_SOCKET") is not { Length: > 0 })
        {
            return null;
        }

        var unit = environment(UnitFile.UnitVariable) is { Length: > 0 } named ? named : FromCgroup(procSelf) ?? "an unknown unit";
        var mode = environment(UnitFile.ModeVariable) is "user" or "system" ? environment(UnitFile.ModeVariable)! : environment("XDG_RUNTIME_DIR") is null ? "system" : "user";
        return new SystemdSnapshot(unit, mode);
    }

    /// <summary>Takes the notify variables out of this process's environment: the stack's processes must not write to systemd as if they were the daemon.</summary>
    public static void Forget()
    {
        foreach (var name in SystemdNotify.Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private static string? FromCgroup(string procSelf)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(procSelf, "cgroup")).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal));
            return line?.Split('/').LastOrDefault(s => s.EndsWith(".service", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
