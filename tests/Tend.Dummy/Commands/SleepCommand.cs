using System.Runtime.InteropServices;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>sleep MS [--ignore-term]</c>: a process that takes a while; with <c>--ignore-term</c> only
/// SIGKILL ends it early (what <c>spawn-children --ignore-term</c> starts).
/// </summary>
internal static class SleepCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, [], ["--ignore-term"]);
        var milliseconds = args.Number(0, "MS");
        using var ignore = args.Flag("--ignore-term")
            ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true)
            : null;
        await Pause.For(milliseconds);
        return 0;
    }
}
