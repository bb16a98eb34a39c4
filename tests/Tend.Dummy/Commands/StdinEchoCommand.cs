namespace Tend.Dummy.Commands;

/// <summary><c>stdin-echo</c>: copies stdin to stdout, chunk by chunk, until EOF.</summary>
internal static class StdinEchoCommand
{
    public static async Task<int> RunAsync()
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        // The raw stdout stream is unbuffered: each chunk read is written through at once.
        await stdin.CopyToAsync(stdout);
        return 0;
    }
}
