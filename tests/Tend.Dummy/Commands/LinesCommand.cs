namespace Tend.Dummy.Commands;

/// <summary>
/// <c>lines N [--stderr-every K] [--delay-ms D]</c>: numbered lines of a fixed width, so log
/// capture, rotation and tailing can be checked line by line. Numbers run across both streams:
/// line K, 2K, ... go to stderr, the rest to stdout.
/// </summary>
internal static class LinesCommand
{
    // 'line 000001 out ' + payload = 63 characters: 64 bytes a line with the newline
    // (up to line 999999; the number widens after that).
    private const string Payload = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU";

    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--stderr-every", "--delay-ms"], []);
        var count = args.Number(0, "N");
        var stderrEvery = args.Number("--stderr-every", 0);
        var delay = args.Number("--delay-ms", 0);
        for (var number = 1L; number <= count; number++)
        {
            var toStderr = stderrEvery > 0 && number % stderrEvery == 0;
            var line = $"line {number:D6} {(toStderr ? "err" : "out")} {Payload}";
            // Console.Out and Console.Error flush on every write.
            (toStderr ? Console.Error : Console.Out).WriteLine(line);
            if (number < count)
            {
                await Pause.For(delay);
            }
        }

        return 0;
    }
}
