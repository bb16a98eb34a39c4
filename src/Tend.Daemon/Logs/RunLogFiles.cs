namespace Tend.Daemon.Logs;

/// <summary>
/// The files of one run: <c>run-NNNNNN.log</c>, then <c>.2.log</c>, <c>.3.log</c>... each
/// closed before it passes <see cref="LogSettings.MaxFileBytes"/>, at a line boundary. Rotation
/// starts a new file (never copy-then-truncate, which loses lines), moves <c>current.log</c>
/// and applies retention. A failed write is counted and remembered, never thrown: the run's
/// output matters more than its log.
/// </summary>
internal sealed class RunLogFiles(string directory, int run, LogSettings settings, TimeProvider time) : ILogSink
{
    private FileStream? _file;
    private string? _path;
    private int _part;
    private long _size;
    private long _bytesWritten;
    private long _bytesLost;
    private long _unreportedLost;
    private string? _lastError;

    // The failure the next "lost" marker names (LastError may since be a housekeeping error).
    private string? _writeError;
    private long? _failedAt;
    private long _checkedAt = time.GetTimestamp();

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long BytesLost => Interlocked.Read(ref _bytesLost);

    public string? LastError => Volatile.Read(ref _lastError);

    public string? CurrentFile => Volatile.Read(ref _path);

    public void Open()
    {
        try
        {
            OpenNextPart();
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            Fail(e, 0);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken = default)
    {
        Write(lines.Span);
        return ValueTask.CompletedTask;
    }

    public void Write(ReadOnlySpan<byte> lines)
    {
        if (_failedAt is { } failedAt && time.GetElapsedTime(failedAt) < settings.RetryInterval)
        {
            // Do not hammer a full disk with a syscall and an exception per block.
            Lose(lines.Length);
            return;
        }

        var written = 0;
        try
        {
            if (Interlocked.Read(ref _unreportedLost) is > 0 and var lost)
            {
                var marker = LogLineFormat.TendLine(time.GetUtcNow(), $"[tend: lost {lost} bytes of log: writing failed: {_writeError}]");
                var markerWritten = 0;
                WriteLines(marker, ref markerWritten);
                Interlocked.Add(ref _unreportedLost, -lost);
            }

            WriteLines(lines, ref written);
            _failedAt = null;
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            Fail(e, lines.Length - written);
        }
    }

    public void Dispose()
    {
        CloseFile();
    }

    private static bool IsWriteFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    private void WriteLines(ReadOnlySpan<byte> lines, ref int written)
    {
        while (written < lines.Length)
        {
            EnsureFile();
            var rest = lines[written..];
            var take = Fit(rest);
            if (take == 0)
            {
                Rotate();
                continue;
            }

            Append(rest[..take]);
            written += take;
        }
    }

    // How much of rest goes into the current file: all of it if it fits, else up to the last
    // newline that fits; a single line bigger than a file goes alone into an empty one.
    private int Fit(ReadOnlySpan<byte> rest)
    {
        var room = settings.MaxFileBytes - _size;
        if (rest.Length <= room)
        {
            return rest.Length;
        }

        var boundary = room <= 0 ? -1 : rest[..(int)room].LastIndexOf(LogLineFormat.Newline);
        if (boundary >= 0)
        {
            return boundary + 1;
        }

        if (_size > 0)
        {
            return 0;
        }

        var end = rest.IndexOf(LogLineFormat.Newline);
        return end < 0 ? rest.Length : end + 1;
    }

    private void EnsureFile()
    {
        if (_file is not null && time.GetElapsedTime(_checkedAt) >= settings.ExistenceCheckInterval)
        {
            _checkedAt = time.GetTimestamp();
            if (!File.Exists(_path))
            {
                // Deleted under us (the directory removed by hand): writes to the unlinked file
                // would vanish until the next rotation, so start a file that can be read.
                CloseFile();
            }
        }

        if (_file is null)
        {
            OpenNextPart();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var file = _file!;
        try
        {
            file.Write(bytes);
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            // A write cut short by a full disk leaves half a line: take it back so the file
            // ends at a line boundary. If even that fails, the next write starts a new file.
            try
            {
                file.SetLength(_size);
                file.Position = _size;
            }
            catch (Exception inner) when (IsWriteFailure(inner))
            {
                CloseFile();
            }

            throw;
        }

        _size += bytes.Length;
        Interlocked.Add(ref _bytesWritten, bytes.Length);
    }

    private void Rotate()
    {
        CloseFile();
        OpenNextPart();
    }

    private void OpenNextPart()
    {
        // The directory may be missing (first run, or deleted by hand): create it every time.
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var part = _part + 1;
        string path;
        while (Path.Exists(path = Path.Combine(directory, LogFileName.For(run, part))))
        {
            // Left by an earlier daemon with the same run number: never write over a log.
            part++;
        }

        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            // Blocks are already large: no second copy through a FileStream buffer.
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        _file = file;
        _part = part;
        _size = 0;
        _checkedAt = time.GetTimestamp();
        Volatile.Write(ref _path, path);
        AfterNewFile(path);
    }

    // Link and retention are housekeeping: their failure is reported, not counted as lost output.
    private void AfterNewFile(string path)
    {
        try
        {
            // A run still draining (a grandchild held its pipe) must not take current.log back
            // from the run that started after it.
            if (!(CurrentLink.Resolve(directory) is { } current
                && LogFileName.TryParse(Path.GetFileName(current), out var currentRun, out _)
                && currentRun > run))
            {
                CurrentLink.PointAt(path);
            }
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            Volatile.Write(ref _lastError, $"cannot point {LogFileName.Current} at {Path.GetFileName(path)}: {e.Message}");
        }

        if (LogRetention.Apply(directory, settings.KeepFiles, path) is { } error)
        {
            Volatile.Write(ref _lastError, error);
        }
    }

    private void CloseFile()
    {
        var file = _file;
        _file = null;
        if (file is null)
        {
            return;
        }

        try
        {
            file.Dispose();
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            // Nothing is buffered (BufferSize = 0), so a failing close loses nothing.
            Volatile.Write(ref _lastError, e.Message);
        }
    }

    private void Fail(Exception e, long lostBytes)
    {
        _writeError = e.Message;
        Volatile.Write(ref _lastError, e.Message);
        _failedAt = time.GetTimestamp();
        Lose(lostBytes);
    }

    private void Lose(long bytes)
    {
        Interlocked.Add(ref _bytesLost, bytes);
        Interlocked.Add(ref _unreportedLost, bytes);
    }
}
