using System.Runtime.InteropServices;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>sleep MS [--ignore-term] [--ready]</c>: a process that takes a while; with
/// <c>--ignore-term</c> only SIGKILL ends it early. <c>--ready</c> prints <c>ready</c> on stderr
/// once the handler is in place (what <c>spawn-children</c> waits for).
/// </summary>
internal static class SleepCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, [], ["--ignore-term", "--ready"]);
        var milliseconds = args.Number(0, "MS");
        using var ignore = args.Flag("--ignore-term")
            ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true)
            : null;
        if (args.Flag("--ready"))
        {
            Console.Error.WriteLine("ready");
        }

        await Pause.For(milliseconds);
        return 0;
    }
}
