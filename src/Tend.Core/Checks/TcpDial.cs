using System.Net.Sockets;
using Tend.Core.Model;

namespace Tend.Core.Checks;

/// <summary>
/// A bare TCP connect before a client library's own handshake. Libraries such as
/// StackExchange.Redis wrap a refused connection in a generic "unable to connect"; dialling
/// first gives every check the same precise refused / timeout / unresolvable answer.
/// </summary>
public static class TcpDial
{
    /// <summary>Null when the port accepts connections, else the failure as an outcome.</summary>
    public static async Task<CheckOutcome?> TryAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return null;
        }
        catch (SocketException e)
        {
            return NetworkFailure.Classify(e, host, port, timeout);
        }
    }
}
