using System.Net;
using System.Net.Sockets;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>What a webhook's answer or its absence means: which statuses are worth another try, and failures in a few words.</summary>
internal static class WebhookFailure
{
    /// <summary>5xx, 429 (too many requests) and 408 (request timeout) may pass later; another 4xx or a 3xx will not.</summary>
    public static bool Retryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    /// <summary>"connection refused", "host not found": never the URL, which may carry a token.</summary>
    public static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => "host unreachable",
            SocketError.ConnectionReset or SocketError.ConnectionAborted => "connection reset",
            var other => $"connection failed ({other})",
        },
        _ => e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host not found",
            HttpRequestError.SecureConnectionError => $"TLS handshake failed: {e.InnerException?.Message ?? e.Message}",
            HttpRequestError.ResponseEnded => "connection closed before a response",
            HttpRequestError.InvalidResponse => "not an HTTP response",
            HttpRequestError.ProxyTunnelError => "proxy refused the connection",
            _ => "connection failed",
        },
    };
}
