using System.Text;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>flood BYTES</c>: exactly BYTES bytes on stdout, as fast as the reader takes them, in
/// lines of 100 bytes (the last one cut short if BYTES is not a multiple of 100).
/// </summary>
internal static class FloodCommand
{
    private const int LineLength = 100;
    private const int LinesPerBlock = 640;

    public static int Run(string[] words)
    {
        var args = Arguments.Parse(words, [], []);
        var remaining = args.Number(0, "BYTES");
        var block = Block();
        using var stdout = Console.OpenStandardOutput();
        while (remaining > 0)
        {
            var size = (int)Math.Min(remaining, block.Length);
            stdout.Write(block, 0, size);
            remaining -= size;
        }

        stdout.Flush();
        return 0;
    }

    private static byte[] Block()
    {
        var line = "flood " + new string('x', LineLength - "flood ".Length - 1) + "\n";
        return Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, LinesPerBlock)));
    }
}
