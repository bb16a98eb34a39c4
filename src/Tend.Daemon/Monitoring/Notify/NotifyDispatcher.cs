using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// Sends alerts to the stack's notifiers (<c>[[notify]]</c>) without ever holding up the caller:
/// <see cref="Post"/> queues the message for each notifier whose <c>min_severity</c> it reaches
/// and returns; each notifier's worker sends it, with up to <see cref="NotifierSpec.Attempts"/>
/// attempts 1 s, 2 s, 4 s, ... (at most 60 s) apart, each within <see cref="NotifierSpec.Timeout"/>,
/// and tells <c>report</c> how every attempt went.
/// </summary>
/// <remarks>
/// <c>report</c> is called from the workers, concurrently, and from <see cref="Post"/> itself for a
/// message pushed out of a full queue; it should be quick. An exception it throws is ignored, so
/// that a broken report cannot stop alerting nor reach the caller of <see cref="Post"/>.
/// </remarks>
public sealed class NotifyDispatcher : IAsyncDisposable
{
    private readonly List<NotifierQueue> _queues;
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    /// <param name="environment">Looks up a webhook's <see cref="NotifierSpec.SecretEnv"/>, at each delivery.</param>
    /// <param name="workingDirectory">Where exec notifiers run (and a relative command is found); the daemon's own directory if null.</param>
    public NotifyDispatcher(
        IReadOnlyList<NotifierSpec> specs,
        Func<string, string?> environment,
        TimeProvider time,
        Action<DeliveryReport> report,
        string? workingDirectory = null)
    {
        var directory = workingDirectory ?? Directory.GetCurrentDirectory();
        var guarded = Guarded(report);
        _queues = [.. specs.Select(spec => new NotifierQueue(spec, Create(spec, environment, time, directory), time, guarded, _stop.Token))];
    }

    /// <summary>Queues <paramref name="message"/> for every notifier it concerns and returns at once; never throws.</summary>
    public void Post(AlertMessage message)
    {
        foreach (var queue in _queues)
        {
            queue.Post(message);
        }
    }

    /// <summary>
    /// For <c>tend alerts test</c>: sends <paramref name="message"/> to every notifier whatever its
    /// severity, all at once, one attempt each, and returns one report per notifier, in the order
    /// of the specs (they are not passed to <c>report</c>).
    /// </summary>
    public async Task<IReadOnlyList<DeliveryReport>> SendTestAsync(AlertMessage message, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var sends = _queues.Select(async queue => queue.Report(message, 1, await queue.AttemptAsync(message, linked.Token), nextDelay: null));
        return await Task.WhenAll(sends);
    }

    /// <summary>
    /// Stops the workers: a delivery under way is abandoned (a webhook's request cancelled, an
    /// exec killed) and the messages still queued are dropped without a report.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await Task.WhenAll(_queues.Select(queue => queue.CompleteAsync()));
        _stop.Dispose();
    }

    private static INotifier Create(NotifierSpec spec, Func<string, string?> environment, TimeProvider time, string workingDirectory) => spec.Kind switch
    {
        NotifierKind.Webhook => new WebhookNotifier(spec, environment, time, WebhookClient.Shared),
        NotifierKind.Exec => new ExecNotifier(spec, time, ProcessLauncher.Shared, workingDirectory),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown notifier kind"),
    };

    private static Action<DeliveryReport> Guarded(Action<DeliveryReport> report) => delivery =>
    {
        try
        {
            report(delivery);
        }
        catch (Exception)
        {
            // See the remarks: the report is the caller's; alerting goes on.
        }
    };
}
