namespace Tend.Dummy.Commands;

/// <summary>
/// <c>eat MB [--step-ms MS]</c>: a service that takes MB megabytes of resident memory (every page
/// written, so it counts in RSS), 10 MB every MS (default at once), prints <c>ate N MB</c> after
/// each step, then holds it. For memory limits and the monitor's memory rules.
/// </summary>
internal static class EatCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--step-ms"], []);
        var megabytes = args.Number(0, "MB");
        var step = args.Number("--step-ms", 0);
        var held = new List<byte[]>();
        for (var eaten = 0L; eaten < megabytes;)
        {
            var chunk = Math.Min(10, megabytes - eaten);
            var block = new byte[chunk * 1024 * 1024];
            // Written, not just allocated: untouched pages are not resident.
            for (var i = 0; i < block.Length; i += 4096)
            {
                block[i] = 1;
            }

            held.Add(block);
            eaten += chunk;
            Console.WriteLine($"ate {eaten} MB");
            if (step > 0)
            {
                await Pause.For(step);
            }
        }

        await Pause.Forever();
        GC.KeepAlive(held);
        return 0;
    }
}
