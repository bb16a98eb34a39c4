using System.Buffers;

namespace Tend.Daemon.Logs;

/// <summary>
/// Captures one run of a component: stdout and stderr read at the same time, framed into
/// stamped lines and merged into the run's log files. Reading and writing are decoupled by a
/// bounded backlog, so a child is never blocked by the disk: when the disk falls behind, output
/// is dropped and counted, and a marker line says how much.
/// </summary>
/// <example>
/// <code>
/// var capture = new RunLogCapture(paths.ComponentLogs("api"), run: 7);
/// var captured = capture.CaptureAsync(process.StandardOutput.BaseStream, process.StandardError.BaseStream, token);
/// // ... capture.Stats at any time; capture.Note("exited with code 1") ...
/// await captured; // both pipes at EOF and every line on disk (or counted as lost)
/// </code>
/// </example>
public sealed class RunLogCapture
{
    // As large as the (grown) pipe: a reader that fell behind empties it in one read.
    internal const int ReadBufferBytes = PipeCapacity.Bytes;

    private const int BlockBytes = 128 * 1024;

    private readonly ILogSink _sink;
    private readonly LogSettings _settings;
    private readonly TimeProvider _time;
    private readonly LogBacklog _backlog;
    private readonly IOutputObserver? _observer;
    private long _bytesRead;
    private long _lines;
    private int _started;

    /// <param name="directory">The component's log directory (<see cref="DaemonPaths.ComponentLogs"/>); created if missing.</param>
    /// <param name="run">The run number, which names the files: <c>run-000007.log</c>.</param>
    /// <param name="observer">Sees every line as it is read (a rounds component watches for its result); null for none.</param>
    public RunLogCapture(string directory, int run, LogSettings? settings = null, TimeProvider? time = null, IOutputObserver? observer = null)
        : this(new RunLogFiles(directory, run, settings ?? LogSettings.Default, time ?? TimeProvider.System), settings, time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(run);
        _observer = observer;
    }

    internal RunLogCapture(ILogSink sink, LogSettings? settings = null, TimeProvider? time = null)
    {
        _settings = settings ?? LogSettings.Default;
        _settings.Validate();
        _time = time ?? TimeProvider.System;
        _sink = sink;
        _backlog = new LogBacklog(_settings.MaxBufferBytes, _time);
    }

    public LogCaptureStats Stats => new(
        Interlocked.Read(ref _bytesRead),
        Interlocked.Read(ref _lines),
        _sink.BytesWritten,
        _backlog.DroppedBytes,
        _sink.BytesLost,
        _backlog.QueuedBytes,
        _sink.CurrentFile,
        _sink.LastError);

    /// <summary>
    /// Reads both streams to their end and writes every line. Completes when both pipes are at
    /// EOF (the child and everything that inherited its pipes are gone) and the backlog is on
    /// disk. Cancelling stops waiting: what was read is written, the files are closed, and the
    /// reader threads end by themselves at EOF, dropping whatever comes after.
    /// </summary>
    public async Task CaptureAsync(Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A run's output is captured once.");
        }

        _sink.Open();
        var writer = OnThread("tend log writer", WriteAll);
        try
        {
            await Task.WhenAll(
                OnThread("tend log stdout", () => ReadAll(stdout, LogStream.Out)),
                OnThread("tend log stderr", () => ReadAll(stderr, LogStream.Err))).WaitAsync(cancellationToken);
        }
        finally
        {
            _backlog.Complete();
            await writer;
            _sink.Dispose();
        }
    }

    /// <summary>A line from Tend itself (<c>t</c>) in the run's log, such as how the run ended. Never dropped.</summary>
    public void Note(string text)
    {
        var line = LogLineFormat.TendLine(_time.GetUtcNow(), text);
        var buffer = LogBuffers.Pool.Rent(line.Length);
        line.CopyTo(buffer, 0);
        _backlog.OfferAlways(new LogBlock(buffer, line.Length, 0));
    }

    // Reads and writes block on threads of their own, not async: .NET's async pipe reads go
    // through epoll and the thread pool, which measured three times the CPU of a plain read(2)
    // per gigabyte, and a write stuck on a slow disk must not hold a pool thread. The threads
    // sleep in the kernel while the child is quiet.
    private static Task OnThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            // Never keeps the daemon alive; Linux shows the first 15 characters of the name.
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private void ReadAll(Stream source, LogStream stream)
    {
        PipeCapacity.TryGrow(source);
        var buffer = LogBuffers.Pool.Rent(ReadBufferBytes);
        using var output = new LogBlockBuilder(BlockBytes, _backlog.Offer);
        using var framer = new LineFramer(stream, _settings.MaxLineBytes, output);
        var observed = _observer is null ? null : new ObservedLines(_observer, _settings.MaxLineBytes);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = source.Read(buffer, 0, ReadBufferBytes);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // A broken or closed pipe is the end of this stream, not of the daemon.
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                Interlocked.Add(ref _bytesRead, read);
                observed?.Feed(buffer.AsSpan(0, read));
                var ended = framer.Frame(buffer.AsSpan(0, read), _time.GetUtcNow());
                output.Flush();
                // Counted once handed to the writer: a line in the stats is a line the log will have.
                Interlocked.Add(ref _lines, ended);
                ReadPacing.AfterRead(read);
            }
        }
        finally
        {
            // An unfinished last line is still a line.
            var last = framer.Finish();
            observed?.Finish();
            output.Flush();
            Interlocked.Add(ref _lines, last);
            LogBuffers.Pool.Return(buffer);
        }
    }

    private void WriteAll()
    {
        // Not cancellable: the backlog is bounded, and what was read should reach the disk.
        while (_backlog.TryTake(out var block))
        {
            {
                try
                {
                    if (block.DroppedBefore > 0)
                    {
                        var marker = LogLineFormat.TendLine(block.ResumedAt, $"[tend: dropped {block.DroppedBefore} bytes: the disk was slower than the output]");
                        Wait(_sink.WriteAsync(marker, CancellationToken.None));
                    }

                    if (block.Length > 0)
                    {
                        Wait(_sink.WriteAsync(block.Lines, CancellationToken.None));
                    }
                }
                finally
                {
                    _backlog.Release(block);
                }
            }
        }
    }

    // The files write synchronously, so this rarely blocks.
    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
