using System.Text;

namespace Tend.Cli.Output;

/// <summary>
/// Large outputs (a status of 500 components, a JSON report) written to stdout in one write:
/// Console.Out hands the stream 256 bytes at a time, 660 system calls for a 170 KB snapshot.
/// Console.Out flushes after every write, so what it wrote before is out first.
/// </summary>
internal static class StandardOutput
{
    public static void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    public static void Write(ReadOnlySpan<byte> bytes)
    {
        Console.Out.Flush();
        StandardStreams.Output.Write(bytes);
    }
}
