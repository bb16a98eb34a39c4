using System.ComponentModel;
using System.Diagnostics;

namespace Tend.Core.Processes;

/// <summary>
/// The one way tend starts a process: supervised runs and rounds, hooks, `tend run` commands,
/// check commands and the daemon itself. It finds the program (a path as given, a bare name on
/// PATH), puts it in a session and process group of its own through <see cref="LaunchTools"/>,
/// and reports what went wrong as a <see cref="LaunchFailure"/>, never as an exception.
/// </summary>
/// <remarks>
/// Starts with <see cref="LaunchRequest.DieWithParent"/> are made on long-lived threads of this
/// launcher's own: the parent-death signal fires when the thread that forked exits, not the
/// process, so forking from pool threads (which retire when idle) would kill runs at random.
/// Starts into a cgroup go there too: the thread moves itself into the cgroup for the fork (see
/// <see cref="CgroupThreads"/>). One thread is made at first; more, up to
/// <see cref="MaxThreads"/>, only when starts queue up behind a busy one: a start waits until
/// the child has exec'd, so twenty steps released at once took 20 of those waits in a row on
/// one thread (a wide workflow's middle level started over ~100 ms). The threads never end
/// before the launcher does.
/// </remarks>
public sealed class ProcessLauncher(LaunchTools tools) : IDisposable
{
    // A plain queue under Monitor, not a BlockingCollection: its SemaphoreSlim spins (sched_yield
    // by the hundred) before it sleeps, which measured as a large share of a round's CPU.
    private readonly Queue<(ProcessStartInfo Info, StandardInput Input, string? Cgroup, TaskCompletionSource<LaunchOutcome> Started)> _queue = new();
    private readonly object _gate = new();
    private readonly List<Thread> _threads = [];
    private int _idle;
    private bool _closed;

    /// <summary>The most launching threads one launcher makes.</summary>
    public const int MaxThreads = 4;

    public ProcessLauncher()
        : this(LaunchTools.OnThisMachine)
    {
    }

    /// <summary>For the starts of a process that supervises nothing (checks, `tend run`): created once, never disposed.</summary>
    public static ProcessLauncher Shared { get; } = new();

    public LaunchTools Tools { get; } = tools;

    public Task<LaunchOutcome> StartAsync(LaunchRequest request)
    {
        if (Prepare(request) is not { } info)
        {
            return Task.FromResult<LaunchOutcome>(Failure(request));
        }

        if (!request.DieWithParent && request.Cgroup is null)
        {
            return Task.FromResult(Start(info, request.Input));
        }

        var started = new TaskCompletionSource<LaunchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queue.Enqueue((info, request.Input, request.Cgroup, started));
            if (_queue.Count > _idle && _threads.Count < MaxThreads)
            {
                _threads.Add(StartThread());
            }

            Monitor.Pulse(_gate);
        }

        return started.Task;
    }

    /// <summary>The start-info behind the tools, or null when the request cannot be started (see <see cref="Failure"/>).</summary>
    private ProcessStartInfo? Prepare(LaunchRequest request)
    {
        if (Tools.Problem(request.DieWithParent) is not null || !Directory.Exists(request.WorkingDirectory)
            || ExecutableLookup.Find(request.Program, request.WorkingDirectory) is not { } program || !ExecutableLookup.IsExecutable(program))
        {
            return null;
        }

        var info = new ProcessStartInfo(Tools.Prefix(request.DieWithParent)[0])
        {
            WorkingDirectory = request.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = request.Input != StandardInput.Inherit,
            RedirectStandardOutput = request.CaptureOutput,
            RedirectStandardError = request.CaptureOutput,
        };
        foreach (var word in Tools.Prefix(request.DieWithParent).Skip(1).Append(program).Concat(request.Arguments))
        {
            info.ArgumentList.Add(word);
        }

        if (request.ReplaceEnvironment)
        {
            info.Environment.Clear();
        }

        foreach (var (key, value) in request.Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private LaunchOutcome.Failed Failure(LaunchRequest request)
    {
        if (Tools.Problem(request.DieWithParent) is { } missing)
        {
            return new LaunchOutcome.Failed(missing);
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            return new LaunchOutcome.Failed(LaunchFailure.BadWorkingDirectory(request.WorkingDirectory));
        }

        var program = ExecutableLookup.Find(request.Program, request.WorkingDirectory);
        return new LaunchOutcome.Failed(program is null ? LaunchFailure.NotFound(request.Program, request.WorkingDirectory) : LaunchFailure.NotExecutable(program));
    }

    private static LaunchOutcome Start(ProcessStartInfo info, StandardInput input)
    {
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            return new LaunchOutcome.Failed(Classify(e, info));
        }

        if (input == StandardInput.Closed)
        {
            // Services read nothing from us: a closed stdin gives them EOF, never a hang.
            process.StandardInput.Close();
            ProcessStreams.ForgetInput(process);
        }

        return new LaunchOutcome.Started(process);
    }

    /// <summary>What the fork or exec of the tools said, by errno; a system short of resources is worth another try.</summary>
    private static LaunchFailure Classify(Win32Exception e, ProcessStartInfo info) => e.NativeErrorCode switch
    {
        // EAGAIN, ENOMEM, ENFILE, EMFILE: too many processes or open files, or no memory.
        11 or 12 or 23 or 24 => new LaunchFailure("no_resources", $"cannot start {info.FileName}: {e.Message} (the system is short of processes, memory or file descriptors)", ExitStatus.CannotExecute, Transient: true),
        1 or 13 => new LaunchFailure("permission_denied", $"cannot start {info.FileName}: {e.Message}", ExitStatus.CannotExecute),
        _ => new LaunchFailure("exec_failed", $"cannot start {info.FileName}: {e.Message}", ExitStatus.CannotExecute),
    };

    /// <summary>
    /// Starts the process from inside <paramref name="cgroup"/>: this thread moves in, forks, and
    /// moves back to the cgroup's parent (the daemon's). A move the kernel refuses starts it
    /// outside, said in the outcome, so the caller stops that run by its process group.
    /// </summary>
    private static LaunchOutcome StartIn(string cgroup, ProcessStartInfo info, StandardInput input)
    {
        if (CgroupThreads.MoveCurrentThread(cgroup) is { } refused)
        {
            var outside = Start(info, input);
            return outside is LaunchOutcome.Started started ? started with { CgroupProblem = refused } : outside;
        }

        LaunchOutcome outcome;
        try
        {
            outcome = Start(info, input);
        }
        finally
        {
            var home = Path.GetDirectoryName(cgroup)!;
            CgroupThreads.MoveCurrentThread(home);
            CgroupThreads.EvictOwn(cgroup, home);
        }

        return outcome is LaunchOutcome.Started inside ? inside with { Cgroup = cgroup } : outcome;
    }

    private Thread StartThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "tend launcher" };
        thread.Start();
        return thread;
    }

    private void Loop()
    {
        while (Next() is var (info, input, cgroup, started))
        {
            started.SetResult(cgroup is null ? Start(info, input) : StartIn(cgroup, info, input));
        }
    }

    /// <summary>The next request, waiting for one; null once disposed and drained.</summary>
    private (ProcessStartInfo Info, StandardInput Input, string? Cgroup, TaskCompletionSource<LaunchOutcome> Started)? Next()
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_closed)
            {
                _idle++;
                Monitor.Wait(_gate);
                _idle--;
            }

            return _queue.Count > 0 ? _queue.Dequeue() : null;
        }
    }

    /// <summary>Ends the launching threads, and with them (through the parent-death signal) any process they started that is still alive: stop them first.</summary>
    public void Dispose()
    {
        Thread[] threads;
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
            threads = [.. _threads];
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }
}
