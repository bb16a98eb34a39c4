namespace Tend.Dummy.Commands;

/// <summary><c>echo</c> and <c>echo-stderr</c>: the words, verbatim, on one line.</summary>
internal static class EchoCommand
{
    public static int Run(string[] words, TextWriter output)
    {
        output.WriteLine(string.Join(' ', words));
        return 0;
    }
}
