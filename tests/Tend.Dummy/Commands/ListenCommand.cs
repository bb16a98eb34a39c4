using System.Net.Sockets;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>listen PORT</c>: a port that is open but never answers. Connections are accepted and held
/// until the peer closes them, so probes with a read timeout time out.
/// </summary>
internal static class ListenCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        using var listener = Loopback.Listen(Arguments.Parse(words, [], []));
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = HoldAsync(client);
        }
    }

    private static async Task HoldAsync(TcpClient client)
    {
        using var _ = client;
        var buffer = new byte[4096];
        try
        {
            var stream = client.GetStream();
            while (await stream.ReadAsync(buffer) > 0)
            {
                // Read and drop whatever the peer sends; never answer.
            }
        }
        catch (IOException)
        {
            // The peer reset the connection: nothing left to hold.
        }
    }
}
