using System.Net.Sockets;
using System.Security.Authentication;
using Tend.Core.Model;

namespace Tend.Core.Checks;

/// <summary>
/// Turns the exceptions of a failed connection into an error class and a fact, by walking the
/// inner exceptions down to the socket error, so that every network check tells "refused" from
/// "timeout" from "closed mid-handshake" the same way.
/// </summary>
public static class NetworkFailure
{
    public static CheckOutcome Classify(Exception error, string host, int port, TimeSpan timeout)
    {
        var target = $"{host}:{port}";
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return FromSocket(socket.SocketErrorCode, host, port, timeout, socket.Message);
                case AuthenticationException tls:
                    return Fail("tls", $"TLS handshake with {target} failed", tls.Message, host, port);
                case TimeoutException or OperationCanceledException:
                    return Fail("timeout", $"no answer from {target} within {Text.Quantities.FormatDuration(timeout)}", $"{target} did not answer within {Text.Quantities.FormatDuration(timeout)}", host, port);
                case EndOfStreamException:
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return Closed(host, port);
                case IOException io when LooksClosed(io.Message):
                    return Closed(host, port);
            }
        }

        return Fail("network", $"cannot talk to {target}", error.Message, host, port);
    }

    public static CheckOutcome FromSocket(SocketError code, string host, int port, TimeSpan timeout, string message)
    {
        var target = $"{host}:{port}";
        return code switch
        {
            SocketError.ConnectionRefused => Fail("refused", $"connection refused to {target}", $"connection refused to {target}", host, port),
            SocketError.TimedOut => Fail("timeout", $"no answer from {target} within {Text.Quantities.FormatDuration(timeout)}", $"{target} did not answer within {Text.Quantities.FormatDuration(timeout)}", host, port),
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain or SocketError.NoRecovery =>
                Fail("dns", $"cannot resolve host '{host}'", $"the name '{host}' does not resolve", host, port),
            SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown or SocketError.NetworkDown =>
                Fail("unreachable", $"{host} is unreachable", $"no route to {target} ({message})", host, port),
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => Closed(host, port),
            SocketError.AccessDenied => Fail("permission", $"not allowed to connect to {target}", message, host, port),
            _ => Fail("network", $"cannot connect to {target}", $"{message} ({code})", host, port),
        };
    }

    private static CheckOutcome Closed(string host, int port) =>
        Fail("closed", $"{host}:{port} closed the connection during the handshake", $"{host}:{port} accepted the connection, then closed it before answering", host, port);

    private static bool LooksClosed(string message) =>
        message.Contains("end of stream", StringComparison.OrdinalIgnoreCase)
        || message.Contains("connection reset", StringComparison.OrdinalIgnoreCase)
        || message.Contains("forcibly closed", StringComparison.OrdinalIgnoreCase)
        || message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase)
        || message.Contains("0 bytes", StringComparison.OrdinalIgnoreCase);

    private static CheckOutcome Fail(string errorClass, string summary, string fact, string host, int port) =>
        CheckOutcome.Fail(errorClass, summary, fact).WithData(("host", host), ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
