using System.Globalization;
using Tend.Core.Processes;

namespace Tend.Daemon.Processes.Cgroups;

/// <summary>
/// The cgroup of one run, a threaded cgroup under the stack's (see <see cref="StackCgroups"/>):
/// the run's leader is born in it and all it ever forks is in there too, wherever it goes (a new
/// session, a new group, a double fork); only a writer to a cgroup file can take a process out. So
/// membership is exact and read without scanning /proc: <c>cgroup.events</c> says whether anything
/// is left, <c>cgroup.threads</c> who.
/// </summary>
public sealed record RunCgroup(string Path)
{
    private static readonly TimeSpan FreezeWait = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A process of the run is still alive (zombies do not count: the kernel takes an exiting
    /// process out at its exit, before it is reaped). False once the cgroup is gone.
    /// </summary>
    public bool IsPopulated() => Events() is { } events && events.Contains("populated 1", StringComparison.Ordinal);

    /// <summary>The processes in the cgroup now (each once, however many threads it has), tend's own never; empty once it is gone.</summary>
    public IReadOnlyList<int> Members()
    {
        var self = Environment.ProcessId;
        return [.. CgroupThreads.Threads(Path).Select(ThreadGroupOf).Where(p => p > 0 && p != self).Distinct()];
    }

    /// <summary>
    /// SIGKILL to every process in it, forks in flight included: the cgroup is frozen first
    /// (<c>cgroup.freeze</c>), so nothing in it can fork between the listing and the kill, then
    /// thawed for the killed to die. <c>cgroup.kill</c> would do it in one write, but the kernel
    /// offers it to domain cgroups only, and a run's is threaded.
    /// </summary>
    public async Task KillAsync(TimeProvider time, CancellationToken cancellationToken = default)
    {
        var frozen = Write("cgroup.freeze", "1");
        var began = time.GetTimestamp();
        while (frozen && time.GetElapsedTime(began) < FreezeWait && Events() is { } events && !events.Contains("frozen 1", StringComparison.Ordinal))
        {
            // Freezing takes each task to its next stop point; one in the kernel (D state) may hold it up, then the kill goes out anyway.
            await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }

        foreach (var pid in Members())
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        // A thread of tend's own would be frozen with the run: sent home, never killed.
        CgroupThreads.EvictOwn(Path, System.IO.Path.GetDirectoryName(Path)!);
        Write("cgroup.freeze", "0");
    }

    /// <summary>Removes the cgroup, which the kernel allows once it is empty; true when it is gone.</summary>
    public bool TryRemove()
    {
        try
        {
            Directory.Delete(Path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string? Events()
    {
        try
        {
            return File.ReadAllText(System.IO.Path.Join(Path, "cgroup.events"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool Write(string file, string value)
    {
        try
        {
            File.WriteAllText(System.IO.Path.Join(Path, file), value);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process a thread belongs to (its Tgid); 0 when it is gone.</summary>
    private static int ThreadGroupOf(int thread)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{thread.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("Tgid:", StringComparison.Ordinal))
                {
                    return int.Parse(line.AsSpan(5).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone while we looked.
        }

        return 0;
    }
}
