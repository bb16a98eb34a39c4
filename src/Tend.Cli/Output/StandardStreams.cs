using System.Text;
using Microsoft.Win32.SafeHandles;

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
    private static FileStream Open(int descriptor) => new(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    private static StreamWriter Writer(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024) { AutoFlush = true };
}
