namespace Tend.Dummy.Commands;

/// <summary>
/// <c>close-on-accept PORT [--reset]</c>: a server that hangs up right after the TCP handshake,
/// before any protocol greeting (FIN, or RST with <c>--reset</c>).
/// </summary>
internal static class CloseOnAcceptCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, [], ["--reset"]);
        var reset = args.Flag("--reset");
        using var listener = Loopback.Listen(args);
        while (true)
        {
            using var socket = await listener.AcceptSocketAsync();
            // A zero timeout is an abortive close: RST instead of FIN.
            socket.Close(timeout: reset ? 0 : -1);
        }
    }
}
