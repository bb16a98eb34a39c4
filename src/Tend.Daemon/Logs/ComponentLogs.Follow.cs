using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Tend.Daemon.Logs;

public sealed partial class ComponentLogs
{
    /// <summary>How often <see cref="FollowAsync"/> looks for new lines when it has caught up.</summary>
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Lines as they are appended, from <paramref name="from"/> on, for ever (until cancelled).
    /// When the file is finished (the writer has started the next part, or with no
    /// <paramref name="run"/>, a new run), it is read to its end and the next file is followed:
    /// rotation and a new run's <c>current.log</c> lose no line.
    /// </summary>
    /// <param name="run">Follow only this run's files; null follows new runs as they start.</param>
    public async IAsyncEnumerable<LogLine> FollowAsync(
        LogPosition from,
        int? run = null,
        TimeProvider? time = null,
        TimeSpan? pollInterval = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        time ??= TimeProvider.System;
        var poll = pollInterval ?? DefaultPollInterval;
        var cursor = new FollowCursor(from.File, from.Offset);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                cursor.File ??= FirstFile(run);
                if (cursor.File is null)
                {
                    await Task.Delay(poll, time, cancellationToken);
                    continue;
                }

                var lines = await cursor.ReadAvailableAsync(cancellationToken);
                foreach (var line in lines)
                {
                    yield return line;
                }

                if (lines.Count > 0)
                {
                    continue;
                }

                if (Successor(cursor.File, run) is not { } next)
                {
                    await Task.Delay(poll, time, cancellationToken);
                    continue;
                }

                // The writer finishes a file before it creates the next: one more read takes
                // whatever landed between our last read and the listing.
                foreach (var line in await cursor.ReadAvailableAsync(cancellationToken))
                {
                    yield return line;
                }

                if (cursor.TakeUnfinished() is { } unfinished)
                {
                    yield return unfinished;
                }

                cursor.MoveTo(next);
            }
        }
        finally
        {
            cursor.Dispose();
        }
    }

    private string? FirstFile(int? run) =>
        LogFiles.List(directory).FirstOrDefault(f => run is null || f.Run == run)?.Path;

    // The next file after this one in (run, part) order; with a run, only that run's parts.
    private string? Successor(string file, int? run)
    {
        if (!LogFileName.TryParse(Path.GetFileName(file), out var currentRun, out var currentPart))
        {
            return null;
        }

        return LogFiles.List(directory)
            .FirstOrDefault(f => (f.Run > currentRun || (f.Run == currentRun && f.Part > currentPart)) && (run is null || f.Run == run))
            ?.Path;
    }

    /// <summary>The file being followed, the offset read up to, and a line read only in part.</summary>
    private sealed class FollowCursor(string? file, long offset) : IDisposable
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly List<byte> _unfinished = [];
        private SafeFileHandle? _handle;

        public string? File { get; set; } = file;

        public async Task<List<LogLine>> ReadAvailableAsync(CancellationToken cancellationToken)
        {
            var lines = new List<LogLine>();
            _handle ??= TryOpen(File!);
            if (_handle is null)
            {
                // Gone (retention outran us) or not readable: wait for a successor.
                return lines;
            }

            int read;
            while ((read = await RandomAccess.ReadAsync(_handle, _buffer, offset, cancellationToken)) > 0)
            {
                offset += read;
                Split(_buffer.AsSpan(0, read), lines);
            }

            return lines;
        }

        /// <summary>The end of a finished file that has no newline (a crash mid-write): still a line.</summary>
        public LogLine? TakeUnfinished()
        {
            if (_unfinished.Count == 0)
            {
                return null;
            }

            var line = LogLine.Parse(_unfinished.ToArray());
            _unfinished.Clear();
            return line;
        }

        public void MoveTo(string next)
        {
            _handle?.Dispose();
            _handle = null;
            File = next;
            offset = 0;
        }

        public void Dispose() => _handle?.Dispose();

        private void Split(ReadOnlySpan<byte> data, List<LogLine> lines)
        {
            int newline;
            while ((newline = data.IndexOf(LogLineFormat.Newline)) >= 0)
            {
                if (_unfinished.Count > 0)
                {
                    _unfinished.AddRange(data[..newline]);
                    lines.Add(LogLine.Parse(_unfinished.ToArray()));
                    _unfinished.Clear();
                }
                else
                {
                    lines.Add(LogLine.Parse(data[..newline]));
                }

                data = data[(newline + 1)..];
            }

            _unfinished.AddRange(data);
        }
    }
}
