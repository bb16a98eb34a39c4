using System.Net;
using System.Net.Sockets;

namespace Tend.Dummy.Commands;

/// <summary>The listening socket every network command starts with.</summary>
internal static class Loopback
{
    /// <summary>
    /// Binds 127.0.0.1:PORT (0 picks a free port) and prints <c>listening on 127.0.0.1:PORT</c>
    /// with the real port once connections can be made: tests wait for that line.
    /// </summary>
    public static TcpListener Listen(Arguments args)
    {
        var port = args.Number(0, "PORT");
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new UsageException($"PORT must be 0..{IPEndPoint.MaxPort}");
        }

        var listener = new TcpListener(IPAddress.Loopback, (int)port);
        listener.Start(backlog: 512);
        var bound = (IPEndPoint)listener.LocalEndpoint;
        Console.Out.WriteLine($"listening on 127.0.0.1:{bound.Port}");
        return listener;
    }
}
