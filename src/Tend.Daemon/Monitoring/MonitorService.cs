using System.Text.Json;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Processes;
using Tend.Core.Workflows.Stats;
using Tend.Daemon.Control;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// The daemon's watcher. Every <c>monitor.interval</c> it samples the components (CPU, memory,
/// processes, output) and the host (load, CPU, memory, disks, GPUs), appends the sample to the
/// metrics files, reads every rule on it, and moves the alerts on: fired and resolved once each
/// (alerts.json remembers them across restarts), with the rule's action and the notifiers. Its
/// own failures are events, never the end of supervision.
/// </summary>
internal sealed class MonitorService(
    StackControl control,
    Supervisor supervisor,
    UsageSampler usage,
    IRunOutput output,
    EventHub events,
    DaemonPaths paths,
    MonitorView view,
    TimeProvider time,
    IAlertDelivery? delivery = null)
{
    private readonly HostSampler _host = new(time);
    private readonly RuleChecks _checks = new(() => supervisor.Checks, time);
    private readonly ComponentTracks _tracks = new();
    private readonly AlertStore _store = new(Path.Combine(paths.StateDirectory, "alerts.json"));
    private readonly MetricsLog _metrics = new(paths.Events);
    private readonly Lock _windowGate = new();
    private readonly List<Task> _actions = [];
    private readonly Lock _bookGate = new(); // the sampling loop and the actions (which note what they did) both write the book
    private AlertBook _book = new();
    private MetricHistory _history = new(TimeSpan.Zero);
    private EventWindow _window = new([]);
    private ValueList<MonitorRule>? _rules;
    private string? _trouble;
    private int _troubleRaised;

    public async Task RunAsync(CancellationToken stopping)
    {
        _book = new AlertBook(_store.Read());
        view.Set(null, [.. _book.Firing], [.. _book.Recent]);
        using var subscription = events.Subscribe(EventFilter.All);
        var feeding = FeedAsync(subscription, stopping);
        try
        {
            while (true)
            {
                var interval = control.Stack.Monitor.Interval;
                try
                {
                    var before = _troubleRaised;
                    await SampleAsync(stopping);
                    if (_troubleRaised == before)
                    {
                        // A whole sample without trouble: the next trouble is news again, even the same one.
                        _trouble = null;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bug in the watcher must not stop the watching, nor the supervision: said once until it works again.
                    Trouble($"{e.GetType().Name}: {e.Message}");
                }

                await Task.Delay(interval, time, stopping);
            }
        }
        catch (OperationCanceledException)
        {
            // The daemon is stopping.
        }

        await feeding;
        await Task.WhenAll(_actions.ToArray());
    }

    /// <summary>One sample, one reading of the rules, and what follows from it.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var stack = control.Stack;
        var policy = stack.Monitor;
        if (!ReferenceEquals(_rules, policy.Rules) && !Equals(_rules, policy.Rules))
        {
            Rebuild(policy);
        }

        var began = time.GetTimestamp();
        _checks.Step(policy.Active, cancellationToken);
        usage.Sample();
        var host = await _host.SampleAsync(stack, paths.StateDirectory, cancellationToken);
        var now = host.At;
        var snapshot = control.Status();
        var byName = snapshot.Components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var component in snapshot.Components)
        {
            _tracks[component.Name].Update(component, output.Counted(component.Name), now);
        }

        _tracks.Forget(name => !byName.ContainsKey(name));
        List<RuleReading> readings;
        lock (_windowGate)
        {
            var metrics = new MonitorMetrics(stack, byName, _tracks, host, _history, _window, _checks, WorkflowKpis(stack, policy, now), now);
            Remember(metrics, policy, host, now);
            readings = RuleEvaluator.Read(policy.Active, metrics);
        }

        List<AlertChange> changes;
        AlertBookState state;
        lock (_bookGate)
        {
            changes = _book.Apply(readings, now);
            state = _book.State;
        }

        if (_store.Write(state) is { } storeError)
        {
            Trouble($"alerts.json: {storeError}");
        }

        foreach (var change in changes)
        {
            Announce(change, stack);
            if (change.Fired && change.Rule.Action.Kind != RuleActionKind.Alert)
            {
                Act(change, host, stack);
            }
        }

        Show(host);

        // Its own cost in the history, so that the monitor's weight is measured where it runs.
        if (_metrics.Append(host, snapshot.Components, _tracks, policy.KeepDays, policy.MaxBytes, time.GetElapsedTime(began)) is { } metricsError)
        {
            Trouble($"metrics: {metricsError}");
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }

    /// <summary>The run records, read (through the exposition's cache) only when a rule watches a workflow.</summary>
    private static WorkflowKpiSource WorkflowKpis(StackFile stack, MonitorPolicy policy, DateTimeOffset now)
    {
        var watched = policy.Active.SelectMany(r => new[] { r.Condition }.Concat(r.Also).Concat(r.Either)).Any(c => MetricCatalog.Find(c.Metric)?.Subject == MetricSubject.Workflow);
        return new WorkflowKpiSource(watched ? RunRecordCache.Shared.Read(stack.StateDirectory) : [], stack.Workflows.Select(w => w.Name), now);
    }

    private void Rebuild(MonitorPolicy policy)
    {
        _rules = policy.Rules;
        var conditions = policy.Active.SelectMany(r => new[] { r.Condition }.Concat(r.Also).Concat(r.Either)).ToList();
        var longest = conditions.Select(c => c.Average ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();
        lock (_windowGate)
        {
            _history = new MetricHistory(longest);
            _window = new EventWindow(policy.Active);
            Seed(_window);
        }
    }

    /// <summary>The counted kinds' recent events from the files, so windows span a daemon restart.</summary>
    private void Seed(EventWindow window)
    {
        if (window.Kinds.Count == 0)
        {
            return;
        }

        var filter = new EventFilter { Kinds = [.. window.Kinds] };
        if (window.LongestWindow > TimeSpan.Zero)
        {
            filter = filter with { Since = time.GetUtcNow() - window.LongestWindow - TimeSpan.FromDays(1) };
        }

        try
        {
            foreach (var record in new EventReader(paths.Events, time).Last(5000, filter))
            {
                Take(window, record);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trouble($"events: {e.Message}");
        }
    }

    private async Task FeedAsync(EventSubscription subscription, CancellationToken stopping)
    {
        try
        {
            await foreach (var record in subscription.ReadAllAsync(stopping))
            {
                lock (_windowGate)
                {
                    Take(_window, record);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The daemon is stopping.
        }
    }

    private static void Take(EventWindow window, EventRecord record)
    {
        if (record.Component is { } component && window.Wants(record.Kind))
        {
            window.Add(record.Kind, component, record.Timestamp, name => record[name] is { } value and not EventValue.Nothing ? value.ToString() : null);
        }
    }

    /// <summary>Values that some rule averages over a window go into the history.</summary>
    private void Remember(MonitorMetrics metrics, MonitorPolicy policy, HostSample host, DateTimeOffset now)
    {
        foreach (var condition in policy.Active.SelectMany(r => new[] { r.Condition }.Concat(r.Also).Concat(r.Either)).Where(c => c.Average is not null).DistinctBy(c => c.Metric))
        {
            var kind = MetricCatalog.Find(condition.Metric)?.Subject;
            IEnumerable<RuleSubject> subjects = kind switch
            {
                MetricSubject.Host => [RuleSubject.Host],
                MetricSubject.Disk => host.Disks.Select(d => new RuleSubject(d.Mount, null)),
                _ => control.Stack.Components.Select(c => RuleSubject.Of(c.Name)),
            };
            foreach (var subject in subjects)
            {
                if (metrics.Value(condition.Metric, subject) is { } value)
                {
                    _history.Add(subject.Name, condition.Metric, value, now);
                }
            }
        }
    }

    private void Announce(AlertChange change, StackFile stack)
    {
        var alert = change.Alert;
        // What firing and resolving both say of the alert; each adds its own after.
        EventField[] shared =
        [
            new("rule", alert.Rule),
            new("subject", alert.Subject),
            new("severity", alert.SeverityName),
            new("summary", alert.Summary),
            new("facts", EventValue.List(alert.Facts)),
        ];
        if (change.Fired)
        {
            events.Emit(EventKinds.Monitor.AlertFiring, alert.Component, [.. shared, new("value", alert.Value), new("action", change.Rule.Action.Name), new("hint", alert.Hint)]);
        }
        else
        {
            events.Emit(
                EventKinds.Monitor.AlertResolved,
                alert.Component,
                [
                    .. shared,
                    new("fired_at", alert.FiredAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                    EventFields.Ms("firing_ms", (alert.ResolvedAt ?? alert.FiredAt) - alert.FiredAt),
                ]);
        }

        delivery?.Post(AlertNotices.Id(alert, change.Fired ? "firing" : "resolved"), alert.Severity, AlertNotices.Body(alert, change.Fired ? "firing" : "resolved", stack.Name));
    }

    private void Show(HostSample? host)
    {
        lock (_bookGate)
        {
            view.Set(host, [.. _book.Firing.OrderBy(a => a.FiredAt)], [.. _book.Recent.Reverse()]);
        }
    }

    /// <summary>The rule's action, off the sampling path: a stop may take its whole grace period.</summary>
    private void Act(AlertChange change, HostSample host, StackFile stack)
    {
        var alert = change.Alert;
        var action = change.Rule.Action;
        var targets = Targets(change, host, stack);
        _actions.RemoveAll(t => t.IsCompleted);
        _actions.Add(Task.Run(async () =>
        {
            string outcome;
            IReadOnlyList<string> shown = targets;
            try
            {
                switch (action.Kind)
                {
                    case RuleActionKind.Stop when targets.Count > 0:
                        outcome = Outcome(await control.StopAsync(targets, reason: $"alert {alert.Rule} on {alert.Subject}"));
                        break;
                    case RuleActionKind.Restart when targets.Count > 0:
                        outcome = Outcome(await control.RestartAsync(targets, reason: $"alert {alert.Rule} on {alert.Subject}"));
                        break;
                    case RuleActionKind.Exec:
                        shown = [string.Join(" ", action.Argv!.Select(Core.Text.ShellWords.Quote))];
                        outcome = await ExecAsync(action.Argv!, alert, stack);
                        break;
                    default:
                        outcome = "nothing to do: no component runs there";
                        break;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                outcome = $"failed: {e.GetType().Name}: {e.Message}";
            }

            var noted = $"{action.Name} {string.Join(", ", shown)}: {outcome}";
            lock (_bookGate)
            {
                _book.NoteAction(alert.Rule, alert.Subject, noted);
            }

            Show(host);
            events.Emit(EventKinds.Monitor.AlertAction, alert.Component, new("rule", alert.Rule), new("subject", alert.Subject), new("action", action.Name), new("targets", EventValue.List(shown)), new("outcome", outcome));
        }));
    }

    /// <summary>Who the action is for: the component; for a disk, the components writing there; for the host, the rule's components.</summary>
    private static List<string> Targets(AlertChange change, HostSample host, StackFile stack)
    {
        var rule = change.Rule;
        var running = stack.Components.Where(c => c.Kind != ComponentKind.External).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> names = MetricCatalog.Find(rule.Condition.Metric)?.Subject switch
        {
            MetricSubject.Disk => host.Disks.FirstOrDefault(d => d.Mount == change.Alert.Subject) is { } disk
                // A filesystem watched through [monitor] disks has no writers Tend can see (Docker's volumes): the rule names them.
                ? disk.Components.Where(rule.AppliesTo).Concat(disk.Paths.Any(stack.Monitor.Disks.Contains) ? rule.Components : [])
                : [],
            MetricSubject.Host or MetricSubject.Check => rule.Components,
            _ => change.Alert.Component is { } component ? [component] : [],
        };
        return [.. names.Where(running.Contains).Distinct()];
    }

    private static string Outcome<T>(ControlOutcome<T> outcome) where T : class => outcome.Error is { } error ? $"refused: {error.Message}" : "done";

    /// <summary>Runs the rule's command with the alert in its environment (TEND_ALERT_* and the whole notice as TEND_ALERT_JSON).</summary>
    private async Task<string> ExecAsync(IReadOnlyList<string> argv, AlertRecord alert, StackFile stack)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TEND_ALERT_RULE"] = alert.Rule,
            ["TEND_ALERT_SUBJECT"] = alert.Subject,
            ["TEND_ALERT_SEVERITY"] = alert.SeverityName,
            ["TEND_ALERT_COMPONENT"] = alert.Component ?? "",
            ["TEND_ALERT_JSON"] = System.Text.Encoding.UTF8.GetString(AlertNotices.Body(alert, "firing", stack.Name)),
        };
        var run = await CapturedRun.RunAsync(argv, stack.Directory, environment, TimeSpan.FromMinutes(1), time);
        return run switch
        {
            { StartFailure: { } failure } => $"could not start: {failure.Message}",
            { TimedOut: true } => "killed after 1m",
            _ => $"exit {run.ExitCode}",
        };
    }

    private void Trouble(string what)
    {
        _troubleRaised++;
        if (_trouble == what)
        {
            return;
        }

        _trouble = what;
        events.Emit(EventKinds.DaemonError, null, new("task", "monitor"), new("error", what));
    }
}
