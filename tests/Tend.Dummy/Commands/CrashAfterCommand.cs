namespace Tend.Dummy.Commands;

/// <summary>
/// <c>crash-after MS [--code C]</c>: a service that runs for a while, then dies with a message
/// on stderr and a non-zero code (1 unless told), for restart and crash-loop tests.
/// </summary>
internal static class CrashAfterCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--code"], []);
        var milliseconds = args.Number(0, "MS");
        var code = args.Number("--code", 1);
        await Pause.For(milliseconds);
        Console.Error.WriteLine("fatal: something broke");
        return (int)code;
    }
}
