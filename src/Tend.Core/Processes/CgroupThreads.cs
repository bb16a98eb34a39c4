using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Tend.Core.Processes;

/// <summary>
/// Moves threads of this process between cgroups of one threaded subtree (cgroup v2), which is how
/// a run is born in its cgroup: the launching thread moves itself into the run's cgroup, forks,
/// and moves back, so the child exists only ever inside it and all it forks is in there too.
/// <para>
/// Why threads: moving a whole process (writing a PID to cgroup.procs) takes the kernel's global
/// threadgroup lock for writing, which waits for an RCU grace period: about 10 ms on a 2-core VM
/// (HZ 100), on every start, measured. A thread that moves itself (writing "0" to
/// cgroup.threads) skips that lock: 0.2 ms in, 0.1 ms out. Moving a child after the fork instead
/// would race with the child's own first fork; .NET cannot run code between fork and exec, nor
/// pass CLONE_INTO_CGROUP to clone3; an exec shim that moves itself pays the same lock.
/// </para>
/// </summary>
public static class CgroupThreads
{
    /// <summary>Moves the calling thread into <paramref name="cgroup"/>; the error in words when the kernel refuses.</summary>
    public static string? MoveCurrentThread(string cgroup) => Write(cgroup, "0");

    /// <summary>
    /// Moves every thread of this process found in <paramref name="cgroup"/> to <paramref name="home"/>:
    /// one the runtime created while the launching thread was in a run's cgroup (a thread pool
    /// worker, a signal thread) would otherwise stay in the run's cgroup, to be frozen with it.
    /// </summary>
    public static void EvictOwn(string cgroup, string home)
    {
        foreach (var thread in Threads(cgroup).Where(t => Directory.Exists($"/proc/self/task/{t.ToString(CultureInfo.InvariantCulture)}")))
        {
            Write(home, thread.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The thread ids in <paramref name="cgroup"/> (cgroup.threads); empty once it is gone.</summary>
    public static IReadOnlyList<int> Threads(string cgroup)
    {
        var threads = new List<int>();
        AddThreads(cgroup, threads);
        return threads;
    }

    /// <summary>
    /// Adds the thread ids in <paramref name="cgroup"/> to <paramref name="threads"/>, read through a
    /// pooled buffer: the usage sampler reads every run's cgroup every few seconds, and a string per
    /// read and per line was megabytes of garbage a sample with hundreds of runs.
    /// </summary>
    public static void AddThreads(string cgroup, List<int> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var path = Path.Join(cgroup, "cgroup.threads");
            var length = KernelFile.Read(path, buffer);
            while (length == buffer.Length)
            {
                // A file the kernel writes on each open is read again whole, from a larger buffer.
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(length * 2);
                length = KernelFile.Read(path, buffer);
            }

            if (length < 0)
            {
                return;
            }

            var text = buffer.AsSpan(0, length);
            foreach (var range in text.Split((byte)'\n'))
            {
                if (Utf8Parser.TryParse(text[range], out int thread, out var used) && used > 0)
                {
                    threads.Add(thread);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours: no threads.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? Write(string cgroup, string thread)
    {
        try
        {
            File.WriteAllText(Path.Join(cgroup, "cgroup.threads"), thread);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot move a thread into {cgroup}: {e.Message}";
        }
    }
}
