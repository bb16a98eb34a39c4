using System.Text;

namespace Tend.Cli.Output;

/// <summary>
/// stdout and stderr as plain file descriptors. .NET's Console, on its first write to a terminal,
/// switches the terminal to keypad mode (ESC[?1h ESC=) for ReadKey's sake, which tend never
/// calls; --no-color and pipes must get no escape sequence at all. Installed as Console.Out and
/// Console.Error before anything is written.
/// </summary>
internal static class StandardStreams
{
    public static Stream Output { get; } = Open(1);

    public static void Install()
    {
        Console.SetOut(Writer(Output));
        Console.SetError(Writer(Open(2)));
    }

    // No buffering in the stream: each Write is one write(2), and the writer flushes after each call.
    private static ClosedReaderTolerant Open(int descriptor) => new(descriptor);

    /// <summary>
    /// write(2) to the descriptor, so that output redirected to a file (`script > log 2>&1`) takes
    /// its turn with every other writer of it (a FileStream there writes with pwrite at an offset of
    /// its own: the shell's next line overwrote tend's). A reader that went away (`tend events |
    /// head`) is not an error of tend's: what is written after is dropped, as .NET's own console
    /// stream does with EPIPE.
    /// </summary>
    private sealed class ClosedReaderTolerant(int descriptor) : Stream
    {
        private bool _closed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_closed)
            {
                return;
            }

            if (Core.Processes.KernelFile.WriteAll(descriptor, buffer) != 0)
            {
                _closed = true;
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static StreamWriter Writer(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024) { AutoFlush = true };
}
