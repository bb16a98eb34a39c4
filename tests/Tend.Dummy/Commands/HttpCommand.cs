using System.Net.Sockets;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>http PORT STATUS [--body TEXT] [--delay-ms D]</c>: a health endpoint with a chosen answer.
/// Every request on every path gets STATUS and TEXT, after D ms; connections are served
/// concurrently and kept alive unless the client asks for <c>Connection: close</c>.
/// </summary>
internal static class HttpCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--body", "--delay-ms"], []);
        var status = args.Number(1, "STATUS");
        if (status is < 100 or > 999)
        {
            throw new UsageException("STATUS must be 100..999");
        }

        var reply = new HttpReply((int)status, args.Option("--body"), args.Number("--delay-ms", 0));
        using var listener = Loopback.Listen(args);
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(() => ServeAsync(client, reply));
        }
    }

    private static async Task ServeAsync(TcpClient client, HttpReply reply)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var reader = new HttpRequestReader(stream);
            while (await reader.ReadHeadAsync() is { } head)
            {
                await reader.SkipBodyAsync(head.ContentLength);
                await Pause.For(reply.DelayMilliseconds);
                await stream.WriteAsync(reply.Render(head.IsHead, head.KeepAlive));
                if (!head.KeepAlive)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The client went away mid-request; serve the next one.
        }
    }
}
