using Tend.Daemon.Monitoring.Notify;

namespace Tend.Daemon.Tests.Support;

/// <summary>
/// The reports a dispatcher gave, in order, with a wait for the next one: of any notifier, or of
/// one by name (each with a place of its own in the list, so waiting for one skips no other's).
/// </summary>
public sealed class DeliveryReports
{
    private readonly List<DeliveryReport> _all = [];
    private readonly Dictionary<string, int> _read = [];
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every report so far.</summary>
    public IReadOnlyList<DeliveryReport> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Give this to the dispatcher.</summary>
    public void Add(DeliveryReport report)
    {
        TaskCompletionSource added;
        lock (_all)
        {
            _all.Add(report);
            added = _added;
            _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.SetResult();
    }

    /// <summary>The next report not yet waited for, of <paramref name="notifier"/> when given; 10 s at most.</summary>
    public async Task<DeliveryReport> NextAsync(string? notifier = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        var key = notifier ?? "";
        while (true)
        {
            Task added;
            lock (_all)
            {
                for (var i = _read.GetValueOrDefault(key); i < _all.Count; i++)
                {
                    if (notifier is null || _all[i].Notifier == notifier)
                    {
                        _read[key] = i + 1;
                        return _all[i];
                    }
                }

                _read[key] = _all.Count;
                added = _added.Task;
            }

            await added.WaitAsync(limit.Token);
        }
    }
}
