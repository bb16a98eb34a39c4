using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Tend.Core.Processes;

namespace Tend.Daemon.Processes.Cgroups;

/// <summary>
/// The stack's cgroup, <c>tend-NAME-ID</c> under the daemon's own (ID from the state directory,
/// which one daemon holds at a time): the daemon moves into it when it starts, and each run gets a
/// threaded child cgroup, <c>COMPONENT.RUN</c>, which the launching thread enters for the fork (see
/// <see cref="CgroupThreads"/>). No controller is enabled anywhere in it: tend uses only the core
/// files (threads, events, freeze), which also keeps the daemon's original cgroup as it was.
/// </summary>
/// <param name="home">The cgroup the daemon came from, where it goes back when it stops; null for the cgroup of another daemon (recovery).</param>
public sealed class StackCgroups(string path, string? home = null)
{
    public string Path { get; } = path;

    /// <summary>Where the stack's cgroup goes under <paramref name="daemonCgroup"/>.</summary>
    public static string PathFor(string daemonCgroup, string stackName, string stateDirectory)
    {
        // Not a secret, only a short distinct name: a non-cryptographic hash keeps OpenSSL (3.7 MB
        // of resident libcrypto and libssl) out of an idle daemon that has no other use for it.
        var id = Convert.ToHexStringLower(XxHash32.Hash(Encoding.UTF8.GetBytes(stateDirectory)));
        // The name, for a reader of the tree; cut short so that `tend status` says where in one line.
        var name = new string([.. stackName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(16)]);
        return System.IO.Path.Join(daemonCgroup, name.Length == 0 ? $"tend-{id}" : $"tend-{name}-{id}");
    }

    /// <summary>
    /// Moves this process (the daemon) into the stack's cgroup, made for it, when runs can be put
    /// in cgroups there: cgroup v2 mounted, the daemon's cgroup writable (root, or a subtree
    /// delegated by systemd), and a threaded child accepted (no controller enabled that would
    /// forbid it) and entered by a thread and left again, as each start will. Otherwise nothing
    /// is changed, and the problem is returned in words for `tend status`.
    /// </summary>
    public static (StackCgroups? Cgroups, string? Problem) Enter(string stackName, string stateDirectory, string procSelf = "/proc/self")
    {
        var (own, problem) = CgroupLocation.OfThisProcess(procSelf);
        if (own is null)
        {
            return (null, problem);
        }

        var cgroups = new StackCgroups(PathFor(own, stackName, stateDirectory), own);
        try
        {
            Directory.CreateDirectory(cgroups.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot create {cgroups.Path}: {e.Message}");
        }

        // The whole daemon moves once (a start pays no such move: see CgroupThreads).
        if (Write(cgroups.Path, "cgroup.procs", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) is { } refused)
        {
            cgroups.RemoveEmpty();
            return (null, $"{refused} (cgroups need root or a subtree delegated by systemd)");
        }

        var (probe, cannot) = cgroups.CreateRun("tend-probe", Environment.ProcessId);
        cannot ??= probe is null ? null : CgroupThreads.MoveCurrentThread(probe.Path) ?? CgroupThreads.MoveCurrentThread(cgroups.Path);
        probe?.TryRemove();
        if (cannot is not null)
        {
            cgroups.Leave();
            return (null, cannot);
        }

        return (cgroups, null);
    }

    /// <summary>A new threaded cgroup for run <paramref name="run"/> of <paramref name="component"/>; null with the reason when it cannot be made.</summary>
    public (RunCgroup? Cgroup, string? Problem) CreateRun(string component, int run)
    {
        var cgroup = new RunCgroup(System.IO.Path.Join(Path, $"{component}.{run.ToString(CultureInfo.InvariantCulture)}"));
        try
        {
            // A leftover of the same name (a run number reused after its logs were removed) is empty: recovery killed what it held.
            Directory.CreateDirectory(cgroup.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot create the cgroup {cgroup.Path}: {e.Message}");
        }

        if (Write(cgroup.Path, "cgroup.type", "threaded") is { } refused)
        {
            cgroup.TryRemove();
            return (null, refused);
        }

        return (cgroup, null);
    }

    /// <summary>The run cgroups in the directory now, with the component each belongs to.</summary>
    public IReadOnlyList<(string Component, RunCgroup Cgroup)> Runs()
    {
        try
        {
            return [.. Directory.EnumerateDirectories(Path)
                .Select(d => (Name: System.IO.Path.GetFileName(d), Path: d))
                .Where(d => d.Name.LastIndexOf('.') > 0)
                .Select(d => (d.Name[..d.Name.LastIndexOf('.')], new RunCgroup(d.Path)))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Removes every empty run cgroup and then the directory itself, if that leaves it empty.</summary>
    public void RemoveEmpty()
    {
        foreach (var (_, cgroup) in Runs())
        {
            if (!cgroup.IsPopulated())
            {
                cgroup.TryRemove();
            }
        }

        new RunCgroup(Path).TryRemove();
    }

    /// <summary>The daemon goes back where it came from, and the stack's cgroup goes once nothing is left in it.</summary>
    public void Leave()
    {
        if (home is not null)
        {
            Write(home, "cgroup.procs", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        RemoveEmpty();
    }

    private static string? Write(string cgroup, string file, string value)
    {
        var path = System.IO.Path.Join(cgroup, file);
        try
        {
            File.WriteAllText(path, value);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {value} to {path}: {e.Message}";
        }
    }
}
