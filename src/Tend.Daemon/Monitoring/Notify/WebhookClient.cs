namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// The one HTTP client of every webhook: one pool of connections, renewed every few minutes so a
/// receiver that moved (DNS) is found again. Redirects are not followed (a POST would turn into
/// a GET); each delivery's timeout is its own cancellation, not the client's.
/// </summary>
internal static class WebhookClient
{
    public static HttpClient Shared { get; } = new(
        new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        },
        disposeHandler: true)
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
