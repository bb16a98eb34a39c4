using System.Buffers;
using System.Globalization;
using Tend.Core.Text;

namespace Tend.Core.Events;

/// <summary>
/// Appends events to the daily files of a directory. Thread-safe; one <c>write(2)</c> of the
/// whole line per event, to a file opened with <c>O_APPEND</c>, so writers in other processes
/// never split a line. It never throws for a failed write: the supervisor must not die because
/// the disk is full. A failure is returned and counted, and the next event that can be written
/// is preceded by an <c>events_lost</c> event.
/// </summary>
/// <remarks>
/// Flushed per event (the line is in the kernel when <see cref="Append(EventRecord)"/> returns,
/// so a crash of this process loses nothing), not fsynced per event: an fsync costs
/// milliseconds on an SD card and restart storms write hundreds of events. A power cut can lose
/// the last seconds the kernel had not written back; <see cref="Sync"/> narrows that at a stop.
/// </remarks>
public sealed class EventLog : IDisposable
{
    private static readonly TimeSpan FragmentSettle = TimeSpan.FromMilliseconds(20);

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly EventRetention? retention;
    private readonly ArrayBufferWriter<byte> line = new(1024);
    private AppendOnlyFile? file;
    private DateOnly fileDay;
    private bool endFragment;
    private bool disposed;
    private long written;
    private long lost;
    private long unreported;
    private DateTimeOffset firstUnreported;
    private string? lastFailure;
    private EventPosition? lastWritten;
    private long writtenSinceRetention;
    private string? retentionError;

    /// <param name="retention">The limits of the files; null keeps every file (a reader's or a test's log).</param>
    public EventLog(string directory, TimeProvider? time = null, EventRetention? retention = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        this.time = time ?? TimeProvider.System;
        this.retention = retention;
    }

    public string Directory { get; }

    /// <summary>Events written since this log was opened.</summary>
    public long Written
    {
        get
        {
            lock (gate)
            {
                return written;
            }
        }
    }

    /// <summary>Events that could not be written since this log was opened.</summary>
    public long Lost
    {
        get
        {
            lock (gate)
            {
                return lost;
            }
        }
    }

    /// <summary>Why the last failed write failed; null when none has.</summary>
    public string? LastFailure
    {
        get
        {
            lock (gate)
            {
                return lastFailure;
            }
        }
    }

    /// <summary>Why the last clean-up of old files left one behind; null when none did.</summary>
    public string? RetentionError
    {
        get
        {
            lock (gate)
            {
                return retentionError;
            }
        }
    }

    /// <summary>
    /// Events not written since the last one that was, and why; null while every event is written.
    /// Cleared by the next event that is written (preceded by its <c>events_lost</c> report).
    /// </summary>
    public EventLogTrouble? Trouble
    {
        get
        {
            lock (gate)
            {
                return unreported > 0 ? new EventLogTrouble(firstUnreported, unreported, lastFailure ?? "unknown") : null;
            }
        }
    }

    /// <summary>Where the file stood after the last event this log wrote; null before the first.</summary>
    public EventPosition? LastWritten
    {
        get
        {
            lock (gate)
            {
                return lastWritten;
            }
        }
    }

    /// <summary>Appends an event of <paramref name="kind"/> stamped now; false when it could not be written.</summary>
    public bool Append(EventKind kind, string? component, params ReadOnlySpan<EventField> fields)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Append(kind.Create(time.GetUtcNow(), component, fields));
    }

    /// <summary>Appends <paramref name="record"/> to the file of its UTC date; false when it could not be written.</summary>
    public bool Append(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (gate)
        {
            if (disposed)
            {
                return Failed(record, "the event log is closed");
            }

            if (unreported > 0 && TryWrite(LostReport(record.Timestamp)))
            {
                unreported = 0;
            }

            if (!TryWrite(record))
            {
                return Failed(record, lastFailure!);
            }

            written++;
            return true;
        }
    }

    /// <summary>fsync(2) of the current file, for a clean stop; false (and recorded) when it fails.</summary>
    public bool Sync()
    {
        lock (gate)
        {
            if (file is null)
            {
                return true;
            }

            var errno = file.Sync();
            if (errno != 0)
            {
                lastFailure = $"fsync {file.Path}: {AppendOnlyFile.Describe(errno)}";
            }

            return errno == 0;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            file?.Dispose();
            file = null;
        }
    }

    private bool Failed(EventRecord record, string reason)
    {
        lastFailure = reason;
        lost++;
        if (unreported++ == 0)
        {
            firstUnreported = record.Timestamp;
        }

        return false;
    }

    private EventRecord LostReport(DateTimeOffset now) => EventKinds.EventsLost.Create(
        now,
        null,
        new EventField("lost", unreported),
        new EventField("since", firstUnreported.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        new EventField("error", lastFailure));

    private bool TryWrite(EventRecord record)
    {
        var day = record.Day;

        // A stat per event (microseconds; events are not log lines): a file or directory removed
        // by hand under a running daemon is created again instead of swallowing events unseen.
        if (file is null || fileDay != day || !File.Exists(file.Path))
        {
            file?.Dispose();
            file = Open(day);
            fileDay = day;
            if (file is null)
            {
                return false;
            }

            // Another writer's line being written right now can look like a fragment for a few
            // microseconds; a killed writer's fragment stays. Only the second needs ending.
            endFragment = !SpinWait.SpinUntil(file.EndsWithNewline, FragmentSettle);
            Retain(day);
        }

        line.ResetWrittenCount();
        if (endFragment)
        {
            // A writer was killed mid-line: end its fragment first, so this line stays whole
            // and the fragment is one malformed line that readers skip.
            line.Write("\n"u8);
        }

        EventJson.WriteLine(line, record);
        if (retention is not null && file.Size() + line.WrittenCount > retention.MaxBytes)
        {
            // The file being written is never deleted, so only this bounds a day of a restart storm.
            lastFailure = $"{file.Path} reached the events' max_size of {Quantities.FormatSize(retention.MaxBytes)}; events are written again from the next UTC day";
            return false;
        }

        var errno = file.Write(line.WrittenSpan, out var partial);
        if (errno == 0)
        {
            endFragment = false;
            lastWritten = new EventPosition(day, file.Position());
            writtenSinceRetention += line.WrittenCount;
            if (retention is not null && writtenSinceRetention > retention.MaxBytes / 10)
            {
                // The day's file grows into the budget of the older ones: they go as it does.
                Retain(day);
            }

            return true;
        }

        lastFailure = $"write {file.Path}: {AppendOnlyFile.Describe(errno)}";

        // A full disk takes part of a line: taken back, the file still ends with a whole line and
        // no reader ever sees the torn one. When it cannot be taken back, the next open ends it.
        file.TakeBack(partial);

        // Opened again for the next event, which then checks again how the file ends.
        file.Dispose();
        file = null;
        return false;
    }

    private void Retain(DateOnly day)
    {
        writtenSinceRetention = 0;
        if (retention is not null)
        {
            retentionError = retention.Apply(Directory, day, file?.Path);
        }
    }

    private AppendOnlyFile? Open(DateOnly day)
    {
        try
        {
            // Created on every open, not once: a directory removed under a running daemon
            // (supervisord #629) must not stop the events for good.
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lastFailure = $"create {Directory}: {e.Message}";
            return null;
        }

        var path = EventFiles.PathFor(Directory, day);
        var opened = AppendOnlyFile.TryOpen(path, out var errno);
        if (opened is null)
        {
            lastFailure = $"open {path}: {AppendOnlyFile.Describe(errno)}";
        }

        return opened;
    }
}
