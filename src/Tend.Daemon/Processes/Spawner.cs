using System.Diagnostics;
using Tend.Core.Processes;

namespace Tend.Daemon.Processes;

/// <summary>
/// Starts every supervised process from one long-lived thread. Each run is started through
/// util-linux's <c>setpriv --pdeathsig TERM</c> and <c>setsid</c>, which exec in place: the run
/// leads its own session and process group (PID = PGID, so a stop reaches all it spawned), and
/// the kernel sends it TERM the moment the daemon dies, so a SIGKILLed daemon leaves no
/// unsupervised leader behind. The parent-death signal fires when the forking *thread* exits,
/// not the process, so forking from pool threads (which retire when idle) would kill runs at
/// random: hence the dedicated thread.
/// </summary>
public sealed class Spawner : IDisposable
{
    // A plain queue under Monitor, not a BlockingCollection: its SemaphoreSlim spins (sched_yield
    // by the hundred) before it sleeps, which measured as a large share of a round's CPU.
    private readonly Queue<(ProcessStartInfo Info, bool KeepStdin, TaskCompletionSource<Process> Started)> _queue = new();
    private readonly object _gate = new();
    private readonly Thread _thread;
    private bool _closed;

    public Spawner()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "tend spawner" };
        _thread.Start();
    }

    /// <summary>The wrappers in front of every program, resolved once.</summary>
    public static IReadOnlyList<string> Wrappers { get; } = FindWrappers();

    /// <summary>A start-info that runs <paramref name="argv"/> behind the wrappers, stdin closed, stdout and stderr piped.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var chain = Wrappers.Concat([program]).ToList();
        var info = new ProcessStartInfo(chain[0])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var word in chain.Skip(1).Concat(arguments))
        {
            info.ArgumentList.Add(word);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <param name="keepStdin">Leave stdin open for the caller to write (a round's prompt) and close; else it is closed at once.</param>
    public Task<Process> StartAsync(ProcessStartInfo info, bool keepStdin = false)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queue.Enqueue((info, keepStdin, started));
            Monitor.Pulse(_gate);
        }

        return started.Task;
    }

    private void Loop()
    {
        while (Next() is var (info, keepStdin, started))
        {
            var process = new Process { StartInfo = info };
            try
            {
                process.Start();
                // Services read nothing from us: a closed stdin gives them EOF, never a hang.
                if (!keepStdin)
                {
                    process.StandardInput.Close();
                }

                started.SetResult(process);
            }
            catch (Exception e)
            {
                process.Dispose();
                started.SetException(e);
            }
        }
    }

    /// <summary>The next request, waiting for one; null once disposed and drained.</summary>
    private (ProcessStartInfo Info, bool KeepStdin, TaskCompletionSource<Process> Started)? Next()
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            return _queue.Count > 0 ? _queue.Dequeue() : null;
        }
    }

    private static List<string> FindWrappers()
    {
        var wrappers = new List<string>();
        if (ExecutableLookup.Find("setpriv", "/") is { } setpriv)
        {
            wrappers.AddRange([setpriv, "--pdeathsig", "TERM", "--"]);
        }

        if (ExecutableLookup.Find("setsid", "/") is { } setsid)
        {
            wrappers.AddRange([setsid, "--"]);
        }

        return wrappers;
    }

    /// <summary>Ends the spawner thread, and with it (through the parent-death signal) any run still alive: stop them first.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
    }
}
