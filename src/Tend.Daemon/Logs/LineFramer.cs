using System.Buffers;
using System.Runtime.CompilerServices;

namespace Tend.Daemon.Logs;

/// <summary>
/// Turns the raw bytes of one stream into log lines: a prefix in front of each line, a newline
/// after it. Whole lines inside a read are copied straight from the read buffer; only the
/// unfinished line at the end of a read is held back, with the time its first byte arrived,
/// until the rest comes. Bytes are never decoded, so invalid UTF-8 passes through unchanged.
/// </summary>
internal sealed class LineFramer : IDisposable
{
    private readonly byte _tag;
    private readonly int _maxLine;
    private readonly LogBlockBuilder _output;
    // Rented only while part of a line waits for its newline: an idle run holds no buffer (500 idle
    // services each holding 64 KiB a stream was 64 MB of the daemon's memory).
    private byte[]? _held;
    private readonly byte[] _openStamp = new byte[LogLineFormat.TimestampLength];
    // The prefix of a line starting in the current read: "<timestamp> o ".
    private readonly byte[] _nowPrefix = new byte[LogLineFormat.PrefixLength];
    private long _nowMillisecond = -1;
    private int _heldLength;

    // A line has started and its newline has not come yet (its stamp is in _openStamp).
    private bool _open;

    // The open line is the rest of a line already cut at _maxLine.
    private bool _continued;

    public LineFramer(LogStream stream, int maxLineBytes, LogBlockBuilder output)
    {
        _tag = LogLineFormat.Tag(stream);
        _maxLine = maxLineBytes;
        _output = output;
        // The tag never changes; only the timestamp in front of it does.
        LogLineFormat.WritePrefix(_nowPrefix, new byte[LogLineFormat.TimestampLength], _tag, continued: false);
    }

    /// <summary>Frames the bytes of one read that arrived at <paramref name="now"/>; returns how many lines it ended.</summary>
    // Called once a read but loops over every line: under the JIT, tiering would run the loop
    // unoptimized and instrumented for seconds of a flood. (Native AOT compiles it optimized anyway.)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Frame(ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        SetNow(now);
        var ended = 0;
        while (!data.IsEmpty)
        {
            if (!_open)
            {
                // The hot path: a whole line inside the read, copied with its newline in one go
                // after a prefix copied, not formatted.
                var end = data[..Math.Min(data.Length, _maxLine + 1)].IndexOf(LogLineFormat.Newline);
                if (end >= 0)
                {
                    var line = data[..(end + 1)];
                    var size = LogLineFormat.PrefixLength + line.Length;
                    var target = _output.Reserve(size);
                    _nowPrefix.CopyTo(target);
                    line.CopyTo(target[LogLineFormat.PrefixLength..]);
                    _output.Commit(size, line.Length);
                    ended++;
                    data = data[(end + 1)..];
                    continue;
                }
            }

            var stamp = _open ? _openStamp : _nowPrefix;
            var room = _maxLine - _heldLength;
            // Search no further than the line limit: a huge line costs no more than a short one.
            var newline = data[..Math.Min(data.Length, room + 1)].IndexOf(LogLineFormat.Newline);
            if (newline >= 0)
            {
                Emit(stamp, data[..newline], terminated: true);
                _open = false;
                _continued = false;
                ended++;
                data = data[(newline + 1)..];
            }
            else if (data.Length <= room)
            {
                Hold(stamp, data);
                break;
            }
            else
            {
                Emit(stamp, data[..room], terminated: false);
                Open(stamp);
                _continued = true;
                data = data[room..];
            }
        }

        return ended;
    }

    /// <summary>End of the stream: an unfinished line is written with a newline. Returns the lines it ended (0 or 1).</summary>
    public int Finish()
    {
        if (!_open)
        {
            return 0;
        }

        if (_heldLength > 0)
        {
            Emit(_openStamp, [], terminated: false);
        }

        _open = false;
        _continued = false;
        return 1;
    }

    public void Dispose() => ReturnHeld();

    private void ReturnHeld()
    {
        if (_held is not null)
        {
            LogBuffers.Pool.Return(_held);
            _held = null;
        }
    }

    private void SetNow(DateTimeOffset now)
    {
        // Reads come far more often than milliseconds change under a flood: format once per millisecond.
        var millisecond = now.UtcTicks / TimeSpan.TicksPerMillisecond;
        if (millisecond != _nowMillisecond)
        {
            _nowMillisecond = millisecond;
            LogLineFormat.WriteTimestamp(_nowPrefix, now);
        }
    }

    private void Hold(byte[] stamp, ReadOnlySpan<byte> data)
    {
        Open(stamp);
        _held ??= LogBuffers.Pool.Rent(_maxLine);
        data.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += data.Length;
    }

    private void Open(byte[] stamp)
    {
        if (!_open)
        {
            stamp.AsSpan(0, LogLineFormat.TimestampLength).CopyTo(_openStamp);
            _open = true;
        }
    }

    // Writes prefix + held bytes + part + newline as one line, and empties the held bytes.
    private void Emit(byte[] stamp, ReadOnlySpan<byte> part, bool terminated)
    {
        var continued = _open && _continued;
        var prefix = continued ? LogLineFormat.ContinuedPrefixLength : LogLineFormat.PrefixLength;
        var size = prefix + _heldLength + part.Length + 1;
        var target = _output.Reserve(size);
        LogLineFormat.WritePrefix(target, stamp.AsSpan(0, LogLineFormat.TimestampLength), _tag, continued);
        _held.AsSpan(0, _heldLength).CopyTo(target[prefix..]);
        part.CopyTo(target[(prefix + _heldLength)..]);
        target[^1] = LogLineFormat.Newline;
        _output.Commit(size, _heldLength + part.Length + (terminated ? 1 : 0));
        _heldLength = 0;
        ReturnHeld();
    }
}
