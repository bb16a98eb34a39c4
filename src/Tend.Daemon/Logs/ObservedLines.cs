namespace Tend.Daemon.Logs;

/// <summary>
/// Cuts one stream's raw reads into lines for an <see cref="IOutputObserver"/>. Kept apart from
/// <see cref="LineFramer"/>, which copies whole reads without looking at each line: only runs
/// with an observer (rounds) pay for this. A line longer than the cap is passed cut at the cap.
/// </summary>
internal sealed class ObservedLines(IOutputObserver observer, int maxLineBytes)
{
    // Allocated once a line is held: most runs are never listened to, and 64 KB a stream adds up over a stack.
    private byte[]? _held;
    private int _heldLength;
    private bool _overflowed;
    private bool _midLine;

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (!observer.IsListening)
        {
            // Nobody wants the lines now. A listener that comes in mid-line gets whole lines
            // only: the rest of the line under way is skipped.
            _heldLength = 0;
            _overflowed = false;
            _midLine = data.Length > 0 ? data[^1] != (byte)'\n' : _midLine;
            return;
        }

        if (_midLine)
        {
            var end = data.IndexOf((byte)'\n');
            if (end < 0)
            {
                return;
            }

            _midLine = false;
            data = data[(end + 1)..];
        }

        while (data.Length > 0)
        {
            var newline = data.IndexOf((byte)'\n');
            var piece = newline < 0 ? data : data[..newline];
            Hold(piece);
            if (newline < 0)
            {
                return;
            }

            Emit();
            data = data[(newline + 1)..];
        }
    }

    /// <summary>An unfinished last line is still a line.</summary>
    public void Finish()
    {
        if ((_heldLength > 0 || _overflowed) && observer.IsListening)
        {
            Emit();
        }
    }

    private void Hold(ReadOnlySpan<byte> piece)
    {
        _held ??= new byte[maxLineBytes];
        var room = _held.Length - _heldLength;
        if (piece.Length > room)
        {
            _overflowed = true;
            piece = piece[..room];
        }

        piece.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += piece.Length;
    }

    private void Emit()
    {
        var line = _held.AsSpan(0, _heldLength);
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        observer.OnLine(line);
        _heldLength = 0;
        _overflowed = false;
    }
}
