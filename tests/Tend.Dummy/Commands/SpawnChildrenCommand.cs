using System.Diagnostics;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>spawn-children N [--ignore-term]</c>: a service that forks helpers. The N children
/// (<c>sleep 600000</c>, ignoring SIGTERM if asked) stay in this process's group and inherit its
/// stdin and stdout, so a supervisor that signals only the leader leaves orphans holding the
/// pipe. Prints <c>child PID</c> for each once that child is running (its TERM handler in
/// place), then sleeps until killed; the leader itself keeps the default SIGTERM behaviour.
/// </summary>
internal static class SpawnChildrenCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, [], ["--ignore-term"]);
        var count = args.Number(0, "N");
        string[] childArgs = args.Flag("--ignore-term")
            ? ["sleep", "600000", "--ready", "--ignore-term"]
            : ["sleep", "600000", "--ready"];
        var children = new List<Process>();
        for (var i = 0; i < count; i++)
        {
            var child = Self.Start(childArgs, redirectStandardError: true);
            children.Add(child);
            if (await child.StandardError.ReadLineAsync() != "ready")
            {
                Console.Error.WriteLine($"Tend.Dummy: child {child.Id} did not start");
                return 1;
            }

            Console.Out.WriteLine($"child {child.Id}");
        }

        await Pause.Forever();
        GC.KeepAlive(children);
        return 0;
    }
}
