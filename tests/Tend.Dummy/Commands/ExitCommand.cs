namespace Tend.Dummy.Commands;

/// <summary><c>exit CODE [--print TEXT]</c>: a job that finishes with a chosen exit code.</summary>
internal static class ExitCommand
{
    public static int Run(string[] words)
    {
        var args = Arguments.Parse(words, ["--print"], []);
        var code = args.Number(0, "CODE");
        if (args.Option("--print") is { } text)
        {
            Console.Out.WriteLine(text);
        }

        return (int)code;
    }
}
