using System.Runtime.InteropServices;

namespace Tend.Daemon.Logs;

/// <summary>
/// Captures one run of a component: stdout and stderr read at the same time, framed into
/// stamped lines and merged into the run's log files. Reading and writing are decoupled by a
/// bounded backlog. When the disk falls behind and the backlog is full, the capture either stops
/// reading the pipes, so the child waits in write(2) and nothing is lost (the default,
/// <c>on_full = "block"</c>), or drops output, counted and marked with a line saying how much
/// (<c>"drop"</c>).
/// </summary>
/// <remarks>
/// The pipes of every run are read by one <see cref="LogLoop"/> thread and the files written by one
/// <see cref="LogWriterThread"/>: no thread per run. Streams that are not pipes (a spec's memory
/// stream) are read on a thread of their own.
/// </remarks>
/// <example>
/// <code>
/// var capture = new RunLogCapture(paths.ComponentLogs("api"), run: 7);
/// var captured = capture.CaptureAsync(process.StandardOutput.BaseStream, process.StandardError.BaseStream, token);
/// // ... capture.Stats at any time; capture.Note("exited with code 1") ...
/// await captured; // both pipes at EOF and every line on disk (or counted as lost)
/// </code>
/// </example>
// The event is never disposed: a reader thread may still wait on or set it after the capture is
// done, and a ManualResetEventSlim whose WaitHandle is never asked for holds no kernel object.
#pragma warning disable CA1001
public sealed class RunLogCapture : ILogWriteJob
#pragma warning restore CA1001
{
    // As large as the (grown) pipe: a reader that fell behind empties it in one read.
    internal const int ReadBufferBytes = PipeCapacity.Bytes;

    private const int BlockBytes = 128 * 1024;

    // Written per turn of the shared writer before other runs get theirs.
    private const long WriteTurnBytes = 4 * 1024 * 1024;

    private readonly ILogSink _sink;
    private readonly LogSettings _settings;
    private readonly TimeProvider _time;
    private readonly LogBacklog _backlog;
    private readonly IOutputObserver? _observer;
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Set while the pipes are not read because the backlog is full (blocking captures only).
    private readonly ManualResetEventSlim _room = new(true, spinCount: 1);
    private LoopPipe[] _pipes = [];
    private volatile bool _paused;
    private long _bytesRead;
    private long _lines;
    private int _started;
    private int _scheduled;
    private int _finished;

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
        _backlog = new LogBacklog(_settings.MaxBufferBytes, _settings.DropWhenFull, _time, ScheduleWrite);
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

    /// <summary>The reading of the pipes is held back now, because the disk is behind (blocking captures).</summary>
    public bool IsPaused => _paused;

    /// <summary>
    /// Reads both streams to their end and writes every line. Completes when both pipes are at
    /// EOF (the child and everything that inherited its pipes are gone) and the backlog is on
    /// disk. Cancelling stops waiting: what was read is written, the files are closed, and the
    /// pipes are read on to their end, dropping whatever comes after.
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
        try
        {
            await ReadAsync(stdout, stderr).WaitAsync(cancellationToken);
        }
        finally
        {
            _backlog.Complete();
            Resume();
            await _written.Task;
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

    /// <summary>Both pipes read by the daemon's loop; streams it cannot watch on threads of their own.</summary>
    private Task ReadAsync(Stream stdout, Stream stderr)
    {
        if (LogLoop.Shared is { } loop && PipePoll.HandleOf(stdout) is { } outHandle && PipePoll.HandleOf(stderr) is { } errHandle)
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var open = 2;
            void StreamEnded()
            {
                if (Interlocked.Decrement(ref open) == 0)
                {
                    ended.SetResult();
                }
            }

            var framings = new[] { new StreamFraming(this, LogStream.Out), new StreamFraming(this, LogStream.Err) };
            var handles = new[] { outHandle, errHandle };
            _pipes = [.. Enumerable.Range(0, 2).Select(i => new LoopPipe(handles[i], data => TakeFromLoop(framings[i], data), () =>
            {
                framings[i].Finish();
                framings[i].Dispose();
                StreamEnded();
            }))];
            var streams = new[] { stdout, stderr };
            var apart = new List<Task>();
            for (var i = 0; i < 2; i++)
            {
                if (!loop.TryAdd(_pipes[i]))
                {
                    // Not watchable after all (closed meanwhile): read to its end on a thread of its own, which finishes its framing.
                    var index = i;
                    apart.Add(OnThread("tend log reader", () =>
                    {
                        try
                        {
                            ReadAll(streams[index], framings[index]);
                        }
                        finally
                        {
                            StreamEnded();
                        }
                    }));
                }
            }

            return apart.Count == 0 ? ended.Task : Task.WhenAll([ended.Task, .. apart]);
        }

        return Task.WhenAll(
            OnThread("tend log stdout", () => ReadAll(stdout, new StreamFraming(this, LogStream.Out))),
            OnThread("tend log stderr", () => ReadAll(stderr, new StreamFraming(this, LogStream.Err))));
    }

    private void TakeFromLoop(StreamFraming framing, ReadOnlySpan<byte> data)
    {
        framing.Take(data);
        if (!_settings.DropWhenFull && _backlog.IsFull && !_backlog.IsCompleted)
        {
            PauseReading();
        }
    }

    /// <summary>
    /// Stops reading the pipes while the backlog is full. The writer resumes them once it has
    /// room; the check after the pause covers a writer that caught up while the pause was made.
    /// </summary>
    private void PauseReading()
    {
        foreach (var pipe in _pipes)
        {
            LogLoop.Shared!.Pause(pipe);
        }

        _paused = true;
        if (_backlog.HasRoom || _backlog.IsCompleted)
        {
            Resume();
        }
    }

    private void Resume()
    {
        if (!_paused)
        {
            return;
        }

        lock (_room)
        {
            if (!_paused)
            {
                return;
            }

            _paused = false;
        }

        foreach (var pipe in _pipes)
        {
            LogLoop.Shared!.Resume(pipe);
        }

        _room.Set();
    }

    // Streams the loop cannot watch block on threads of their own; they sleep in the kernel while the child is quiet.
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

    /// <summary>Blocking reads to the end of one stream; a blocking capture waits for room after a read that filled the backlog.</summary>
    private void ReadAll(Stream source, StreamFraming framing)
    {
        PipeCapacity.TryGrow(source);
        var buffer = LogBuffers.Pool.Rent(ReadBufferBytes);
        try
        {
            int read;
            while ((read = ReadOnce(source, buffer)) > 0)
            {
                framing.Take(buffer.AsSpan(0, read));
                if (!_settings.DropWhenFull && _backlog.IsFull && !_backlog.IsCompleted)
                {
                    lock (_room)
                    {
                        _room.Reset();
                        _paused = true;
                    }

                    if (_backlog.HasRoom)
                    {
                        Resume();
                    }

                    _room.Wait();
                }

                ReadPacing.AfterRead(read);
            }
        }
        finally
        {
            framing.Finish();
            framing.Dispose();
            LogBuffers.Pool.Return(buffer);
        }
    }

    /// <summary>One read; 0 at the end of the stream, and a broken or closed pipe is its end too, not the daemon's.</summary>
    private static int ReadOnce(Stream source, byte[] buffer)
    {
        try
        {
            return source.Read(buffer, 0, ReadBufferBytes);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return 0;
        }
    }

    /// <summary>One stream's lines on their way to the writer: framed, stamped, observed and counted.</summary>
    private sealed class StreamFraming : IDisposable
    {
        private readonly RunLogCapture _owner;
        private readonly LogBlockBuilder _output;
        private readonly LineFramer _framer;
        private readonly ObservedLines? _observed;

        public StreamFraming(RunLogCapture owner, LogStream stream)
        {
            _owner = owner;
            _output = new LogBlockBuilder(BlockBytes, owner._backlog.Offer);
            _framer = new LineFramer(stream, owner._settings.MaxLineBytes, _output);
            _observed = owner._observer is null ? null : new ObservedLines(owner._observer, owner._settings.MaxLineBytes);
        }

        public void Take(ReadOnlySpan<byte> data)
        {
            Interlocked.Add(ref _owner._bytesRead, data.Length);
            _observed?.Feed(data);
            var ended = _framer.Frame(data, _owner._time.GetUtcNow());
            _output.Flush();
            // Counted once handed to the writer: a line in the stats is a line the log will have.
            Interlocked.Add(ref _owner._lines, ended);
        }

        /// <summary>An unfinished last line is still a line.</summary>
        public void Finish()
        {
            var last = _framer.Finish();
            _observed?.Finish();
            _output.Flush();
            Interlocked.Add(ref _owner._lines, last);
        }

        public void Dispose()
        {
            _framer.Dispose();
            _output.Dispose();
        }
    }

    private void ScheduleWrite()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            LogWriterThread.Shared.Schedule(this);
        }
    }

    /// <summary>On the shared writer's thread: a turn's worth of blocks on disk; the files closed once the capture is complete and all is written.</summary>
    void ILogWriteJob.WriteSome()
    {
        Volatile.Write(ref _scheduled, 0);
        if (Volatile.Read(ref _finished) != 0)
        {
            return;
        }

        try
        {
            var turn = 0L;
            while (turn < WriteTurnBytes && _backlog.TryTake(out var block))
            {
                turn += block.Length;
                Write(block);
                if (_paused && _backlog.HasRoom)
                {
                    Resume();
                }
            }

            if (turn >= WriteTurnBytes)
            {
                // More may be queued: come back after the other runs' turns.
                ScheduleWrite();
                return;
            }

            // Complete first, then empty: a block queued before the completion is taken before the files close.
            if (_backlog.IsCompleted && _backlog.IsEmpty && Interlocked.Exchange(ref _finished, 1) == 0)
            {
                _sink.Dispose();
                _room.Set();
                _written.TrySetResult();
            }
        }
        catch (Exception e)
        {
            // A bug, not the disk (the sink counts failed writes): the run's capture fails, never the shared writer.
            Interlocked.Exchange(ref _finished, 1);
            _written.TrySetException(e);
        }
    }

    private void Write(LogBlock block)
    {
        // Not cancellable: the backlog is bounded, and what was read should reach the disk.
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

    // The files write synchronously, so this rarely blocks.
    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
