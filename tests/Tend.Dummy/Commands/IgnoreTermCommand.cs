using System.Runtime.InteropServices;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>ignore-term [--ms MS]</c>: a service that shrugs off SIGTERM, so a stop must fall back to
/// SIGKILL after its grace period. Prints <c>ready</c> once the handler is in place.
/// </summary>
internal static class IgnoreTermCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--ms"], []);
        var milliseconds = args.Number("--ms", -1);
        using var ignore = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true);
        Console.Out.WriteLine("ready");
        await (milliseconds < 0 ? Pause.Forever() : Pause.For(milliseconds));
        return 0;
    }
}
