namespace Tend.Daemon.Monitoring.Notify;

/// <summary>One delivery to one destination, within the notifier's own timeout.</summary>
internal interface INotifier
{
    /// <summary>
    /// One attempt. Every expected failure (a status, a refused connection, an exit code, the
    /// timeout) is a <see cref="DeliveryResult"/>; only <paramref name="cancellationToken"/>
    /// (the dispatcher stopping) ends it with an <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<DeliveryResult> DeliverAsync(AlertMessage message, CancellationToken cancellationToken = default);
}
