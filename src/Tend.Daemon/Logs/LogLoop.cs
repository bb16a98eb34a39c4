using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Tend.Daemon.Logs;

/// <summary>
/// One thread that reads the output pipes of every run, through one epoll instance: the daemon's
/// cost does not grow by a thread (a stack, kernel state, a read buffer) per service. Whatever it
/// reads goes to the pipe's <see cref="LoopPipe.Take"/> on this thread, which frames it and
/// hands it to the writer; the pipe's end to <see cref="LoopPipe.Ended"/>.
/// </summary>
internal sealed class LogLoop
{
    private static readonly Lazy<LogLoop?> SharedLoop = new(Start);

    private readonly int _epoll;
    private readonly ConcurrentDictionary<ulong, LoopPipe> _pipes = new();
    private readonly byte[] _buffer = new byte[RunLogCapture.ReadBufferBytes];
    private long _nextToken;

    private LogLoop(int epoll) => _epoll = epoll;

    /// <summary>The daemon's loop, started on first use; null where there is none (not x86-64, or epoll refused), and captures read on threads of their own.</summary>
    public static LogLoop? Shared => SharedLoop.Value;

    /// <summary>Pipes being read now (for specs and counters).</summary>
    public int PipeCount => _pipes.Count;

    /// <summary>Starts reading <paramref name="pipe"/>; false when it cannot be watched (then nothing was taken).</summary>
    public bool TryAdd(LoopPipe pipe)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        var added = false;
        try
        {
            // Held while watched, so a stream disposed meanwhile cannot close the descriptor and hand its number to another file under epoll.
            pipe.Handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        var descriptor = (int)pipe.Handle.DangerousGetHandle();
        PipeCapacity.TryGrow(descriptor);
        Epoll.MakeNonBlocking(descriptor);
        var token = (ulong)Interlocked.Increment(ref _nextToken);
        pipe.Attach(descriptor, token);
        _pipes[token] = pipe;
        lock (pipe)
        {
            if (Epoll.Watch(_epoll, descriptor, token))
            {
                pipe.Watched = true;
                return true;
            }
        }

        _pipes.TryRemove(token, out _);
        pipe.Handle.DangerousRelease();
        return false;
    }

    /// <summary>No more reads of these pipes until <see cref="Resume"/>: the child then waits in write(2) once the pipe is full.</summary>
    public void Pause(LoopPipe pipe)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        lock (pipe)
        {
            if (pipe.Watched)
            {
                Epoll.Forget(_epoll, pipe.Descriptor);
                pipe.Watched = false;
            }
        }
    }

    /// <summary>Reads the pipe again after <see cref="Pause"/>; nothing for a pipe at its end.</summary>
    public void Resume(LoopPipe pipe)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        lock (pipe)
        {
            if (!pipe.Watched && !pipe.IsEnded)
            {
                pipe.Watched = Epoll.Watch(_epoll, pipe.Descriptor, pipe.Token);
            }
        }
    }

    private static LogLoop? Start()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var epoll = Epoll.Create();
        if (epoll < 0)
        {
            return null;
        }

        var loop = new LogLoop(epoll);
        // Background: never keeps the daemon alive. Linux shows the first 15 characters of the name.
        new Thread(loop.Run) { IsBackground = true, Name = "tend log loop" }.Start();
        return loop;
    }

    private void Run()
    {
        Span<EpollEvent> events = stackalloc EpollEvent[64];
        while (true)
        {
            var count = Epoll.Wait(_epoll, events, -1);
            if (count < 0)
            {
                // EINTR is a signal meant for someone else; anything else (out of memory) is retried after a pause rather than leaving every child blocked on a full pipe.
                if (Marshal.GetLastPInvokeError() != Epoll.Interrupted)
                {
                    Pause(TimeSpan.FromMilliseconds(10));
                }

                continue;
            }

            var total = 0L;
            for (var i = 0; i < count; i++)
            {
                if (_pipes.TryGetValue(events[i].Data, out var pipe) && !pipe.IsEnded)
                {
                    total += ReadOnce(pipe);
                }
            }

            // After small reads, a millisecond lets the pipes gather output so that the next reads
            // take it in one go (see ReadPacing): one wake-up for many short lines of many runs.
            if (total is > 0 and < ReadPacing.SmallRead)
            {
                Pause(TimeSpan.FromMilliseconds(1));
            }
        }
    }

    /// <summary>One read of a pipe epoll found ready; the bytes read.</summary>
    private long ReadOnce(LoopPipe pipe)
    {
        var read = Epoll.Read(pipe.Descriptor, _buffer);
        if (read > 0)
        {
            pipe.Take(_buffer.AsSpan(0, (int)read));
            return read;
        }

        if (read < 0 && Marshal.GetLastPInvokeError() is Epoll.WouldBlock or Epoll.Interrupted)
        {
            return 0;
        }

        // The end of the pipe (every writer closed it), or an error that is its end too, not the daemon's.
        lock (pipe)
        {
            if (pipe.Watched)
            {
                Epoll.Forget(_epoll, pipe.Descriptor);
                pipe.Watched = false;
            }

            pipe.IsEnded = true;
        }

        _pipes.TryRemove(pipe.Token, out _);
        pipe.Handle.DangerousRelease();
        pipe.Ended();
        return 0;
    }

    // A plain sleep of the loop's own thread: not a timeout or a back-off that tests would fake
    // through a TimeProvider, and a timer would wake a second thread to wake this one.
    private static void Pause(TimeSpan pause)
    {
#pragma warning disable RS0030
        Thread.Sleep(pause);
#pragma warning restore RS0030
    }
}

/// <summary>One output pipe of one run, as the <see cref="LogLoop"/> reads it.</summary>
/// <param name="Take">Gets each read's bytes, on the loop's thread; must not block.</param>
/// <param name="Ended">Called once, on the loop's thread, when the pipe is at its end.</param>
internal sealed class LoopPipe(SafeHandle handle, ReadOnlySpanAction take, Action ended)
{
    public SafeHandle Handle { get; } = handle;

    public int Descriptor { get; private set; } = -1;

    public ulong Token { get; private set; }

    /// <summary>In the epoll set now; changed under a lock of this pipe.</summary>
    public bool Watched { get; set; }

    /// <summary>At its end; never read again.</summary>
    public bool IsEnded { get; set; }

    public void Take(ReadOnlySpan<byte> data) => take(data);

    public void Ended() => ended();

    public void Attach(int descriptor, ulong token)
    {
        Descriptor = descriptor;
        Token = token;
    }
}

/// <summary>A callback that takes a span (Action cannot).</summary>
internal delegate void ReadOnlySpanAction(ReadOnlySpan<byte> data);
