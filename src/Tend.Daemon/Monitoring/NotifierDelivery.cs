using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Daemon.Monitoring.Notify;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// The daemon's notifiers as the stack file has them now: a reload that changes <c>[[notify]]</c>
/// swaps the dispatcher (the old one finishes in the background). Every failed attempt is a
/// <c>notify_failed</c> event; a secret never reaches it (the dispatcher's reports carry none).
/// </summary>
internal sealed class NotifierDelivery(Func<MonitorPolicy> policy, IEventSink events, Func<string, string?> environment, TimeProvider time, string workingDirectory) : IAlertDelivery, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Task> _retiring = [];
    private ValueList<NotifierSpec>? _specs;
    private NotifyDispatcher? _dispatcher;

    public void Post(string id, AlertSeverity severity, byte[] json) => Current()?.Post(new AlertMessage(id, severity, json));

    private NotifyDispatcher? Current()
    {
        var specs = policy().Notifiers;
        lock (_gate)
        {
            if (Equals(specs, _specs))
            {
                return _dispatcher;
            }

            if (_dispatcher is { } old)
            {
                _retiring.Add(old.DisposeAsync().AsTask());
            }

            _specs = specs;
            _dispatcher = specs.Count == 0 ? null : new NotifyDispatcher(specs, environment, time, Report, workingDirectory);
            return _dispatcher;
        }
    }

    private void Report(DeliveryReport report)
    {
        if (report.Succeeded)
        {
            return;
        }

        events.Emit(
            EventKinds.Monitor.NotifyFailed,
            null,
            new("notifier", report.Notifier),
            new("notifier_kind", report.Kind == NotifierKind.Webhook ? "webhook" : "exec"),
            new("delivery", report.MessageId),
            new("attempt", report.Attempt),
            new("reason", report.Dropped ? "dropped: the notifier's queue was full" : report.Reason),
            new("retry_in_ms", report.NextDelay is { } delay ? (long)delay.TotalMilliseconds : EventValue.Null));
    }

    public async ValueTask DisposeAsync()
    {
        NotifyDispatcher? current;
        lock (_gate)
        {
            current = _dispatcher;
            _dispatcher = null;
        }

        if (current is not null)
        {
            await current.DisposeAsync();
        }

        await Task.WhenAll(_retiring);
    }
}
