using System.Runtime.InteropServices;

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
            var reading = PipePoll.HandleOf(stdout) is { } outHandle && PipePoll.HandleOf(stderr) is { } errHandle
                ? OnThread("tend log reader", () => ReadBoth(stdout, outHandle, stderr, errHandle))
                : Task.WhenAll(
                    OnThread("tend log stdout", () => ReadAll(stdout, LogStream.Out)),
                    OnThread("tend log stderr", () => ReadAll(stderr, LogStream.Err)));
            await reading.WaitAsync(cancellationToken);
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
        using var framing = new StreamFraming(this, stream);
        try
        {
            Drain(source, buffer, framing);
        }
        finally
        {
            framing.Finish();
            LogBuffers.Pool.Return(buffer);
        }
    }

    /// <summary>Blocking reads to the end of one stream.</summary>
    private static void Drain(Stream source, byte[] buffer, StreamFraming framing)
    {
        int read;
        while ((read = ReadOnce(source, buffer)) > 0)
        {
            framing.Take(buffer.AsSpan(0, read));
            ReadPacing.AfterRead(read);
        }
    }

    /// <summary>Both pipes on one thread: poll, then one read from each pipe that is ready, until both are at their end.</summary>
    private void ReadBoth(Stream stdout, SafeHandle outHandle, Stream stderr, SafeHandle errHandle)
    {
        PipeCapacity.TryGrow(stdout);
        PipeCapacity.TryGrow(stderr);
        var buffer = LogBuffers.Pool.Rent(ReadBufferBytes);
        using var outFraming = new StreamFraming(this, LogStream.Out);
        using var errFraming = new StreamFraming(this, LogStream.Err);
        bool outAdded = false, errAdded = false;
        try
        {
            // Held, so that a stream disposed meanwhile cannot close its descriptor and hand the number to another file under poll.
            outHandle.DangerousAddRef(ref outAdded);
            errHandle.DangerousAddRef(ref errAdded);
            Span<PollDescriptor> descriptors = stackalloc PollDescriptor[2];
            descriptors[0].Descriptor = (int)outHandle.DangerousGetHandle();
            descriptors[1].Descriptor = (int)errHandle.DangerousGetHandle();
            var streams = new[] { stdout, stderr };
            var framings = new[] { outFraming, errFraming };
            while (descriptors[0].Descriptor >= 0 || descriptors[1].Descriptor >= 0)
            {
                if (!PipePoll.Wait(descriptors))
                {
                    // poll itself failed (out of memory): a child must not be left blocked on a full pipe,
                    // so each pipe still open gets a blocking reader of its own, as streams that are not pipes do.
                    DrainApart(streams, framings, descriptors);
                    break;
                }

                var total = 0;
                for (var i = 0; i < 2; i++)
                {
                    if (descriptors[i].Descriptor < 0 || descriptors[i].ReturnedEvents == 0)
                    {
                        continue;
                    }

                    var read = ReadOnce(streams[i], buffer);
                    if (read == 0)
                    {
                        // Skipped by poll from now on.
                        descriptors[i].Descriptor = -1;
                        continue;
                    }

                    framings[i].Take(buffer.AsSpan(0, read));
                    total += read;
                }

                ReadPacing.AfterRead(total);
            }
        }
        catch (ObjectDisposedException)
        {
            // The pipes were closed under the reader: the end of both streams, not of the daemon.
        }
        finally
        {
            if (outAdded)
            {
                outHandle.DangerousRelease();
            }

            if (errAdded)
            {
                errHandle.DangerousRelease();
            }

            outFraming.Finish();
            errFraming.Finish();
            LogBuffers.Pool.Return(buffer);
        }
    }

    private static void DrainApart(Stream[] streams, StreamFraming[] framings, ReadOnlySpan<PollDescriptor> descriptors)
    {
        var open = new List<int>();
        for (var i = 0; i < descriptors.Length; i++)
        {
            if (descriptors[i].Descriptor >= 0)
            {
                open.Add(i);
            }
        }

        var drains = open.Select(i => OnThread("tend log drain", () =>
        {
            var buffer = LogBuffers.Pool.Rent(ReadBufferBytes);
            try
            {
                Drain(streams[i], buffer, framings[i]);
            }
            finally
            {
                LogBuffers.Pool.Return(buffer);
            }
        }));
        Task.WhenAll(drains).GetAwaiter().GetResult();
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
