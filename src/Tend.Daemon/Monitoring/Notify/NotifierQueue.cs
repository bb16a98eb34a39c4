using System.Threading.Channels;
using Tend.Core.Model;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// One notifier's messages: a bounded queue (the oldest is dropped, and reported, when a slow or
/// dead destination lets it fill up) and one worker that sends them in order, each with its
/// attempts and back-off, so a notifier that hangs delays only its own messages.
/// </summary>
internal sealed class NotifierQueue
{
    public const int Capacity = 100;

    private readonly INotifier _notifier;
    private readonly Channel<AlertMessage> _messages;
    private readonly TimeProvider _time;
    private readonly Action<DeliveryReport> _report;
    private readonly Task _worker;

    public NotifierQueue(NotifierSpec spec, INotifier notifier, TimeProvider time, Action<DeliveryReport> report, CancellationToken stop)
    {
        Spec = spec;
        _notifier = notifier;
        _time = time;
        _report = report;
        _messages = Channel.CreateBounded<AlertMessage>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => report(Report(dropped, 0, DeliveryResult.GiveUp($"dropped: the queue was full ({Capacity} messages waiting)"), null)));
        _worker = Task.Run(() => WorkAsync(stop), CancellationToken.None);
    }

    public NotifierSpec Spec { get; }

    /// <summary>Queues the message if its severity reaches the notifier's; never waits (a full queue drops its oldest).</summary>
    public void Post(AlertMessage message)
    {
        if (message.Severity >= Spec.MinSeverity)
        {
            _messages.Writer.TryWrite(message);
        }
    }

    /// <summary>Takes no more messages; the worker ends once the stop token is cancelled (or the queue is empty).</summary>
    public Task CompleteAsync()
    {
        _messages.Writer.TryComplete();
        return _worker;
    }

    public DeliveryReport Report(AlertMessage message, int attempt, DeliveryResult result, TimeSpan? nextDelay) =>
        new(Spec.Name, Spec.Kind, message.Id, attempt, result.Succeeded, Final: nextDelay is null, result.Reason, nextDelay) { Output = result.Output };

    private async Task WorkAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var message in _messages.Reader.ReadAllAsync(stop))
            {
                await DeliverAsync(message, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the message in hand and those still queued are dropped.
        }
    }

    private async Task DeliverAsync(AlertMessage message, CancellationToken stop)
    {
        var attempts = Math.Max(1, Spec.Attempts);
        for (var attempt = 1; ; attempt++)
        {
            var result = await AttemptAsync(message, stop);
            var nextDelay = result.Retryable && attempt < attempts ? RetryDelay.After(attempt) : (TimeSpan?)null;

            // The wait starts before the report goes out: a test that moves a fake clock on by
            // the reported delay, as soon as it reads it, then always reaches the timer.
            var wait = nextDelay is { } delay ? Task.Delay(delay, _time, stop) : null;
            _report(Report(message, attempt, result, nextDelay));
            if (wait is null)
            {
                return;
            }

            await wait;
        }
    }

    /// <summary>One attempt; a notifier that throws (a bug) fails the message, not the worker.</summary>
    public async Task<DeliveryResult> AttemptAsync(AlertMessage message, CancellationToken stop)
    {
        try
        {
            return await _notifier.DeliverAsync(message, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DeliveryResult.GiveUp($"internal error: {e.GetType().Name}: {e.Message}");
        }
    }
}
