using Tend.Core.Model;

namespace Tend.Core.Monitoring;

/// <summary>An alert that fired or resolved at this evaluation.</summary>
public sealed record AlertChange(AlertRecord Alert, bool Fired, MonitorRule Rule);

/// <summary>
/// The alerts' lifecycle, keyed by (rule, subject): a rule that holds for its <c>for</c> fires once;
/// a firing alert that stays clear for its <c>clear_after</c> resolves once. Its state
/// (<see cref="State"/>) is what the daemon persists, so that a restart while a condition holds
/// fires nothing new, and a condition that cleared meanwhile resolves. Pure: time is given.
/// </summary>
public sealed class AlertBook
{
    /// <summary>How many resolved alerts are kept for `tend alerts`.</summary>
    public const int RecentKept = 100;

    private readonly Dictionary<(string Rule, string Subject), AlertRecord> _firing = [];
    private readonly Dictionary<(string Rule, string Subject), DateTimeOffset> _pending = [];
    private readonly Dictionary<(string Rule, string Subject), DateTimeOffset> _clearing = [];
    private readonly List<AlertRecord> _recent = [];

    public AlertBook(AlertBookState? state = null)
    {
        state ??= AlertBookState.Empty;
        foreach (var alert in state.Firing)
        {
            _firing[(alert.Rule, alert.Subject)] = alert;
        }

        foreach (var timer in state.Pending)
        {
            _pending[(timer.Rule, timer.Subject)] = timer.Since;
        }

        foreach (var timer in state.Clearing)
        {
            _clearing[(timer.Rule, timer.Subject)] = timer.Since;
        }

        _recent.AddRange(state.Recent.TakeLast(RecentKept));
    }

    public AlertBookState State => new(
        [.. _firing.Values.OrderBy(a => a.FiredAt)],
        [.. _pending.Select(p => new AlertTimer(p.Key.Rule, p.Key.Subject, p.Value))],
        [.. _clearing.Select(p => new AlertTimer(p.Key.Rule, p.Key.Subject, p.Value))],
        [.. _recent]);

    public IReadOnlyCollection<AlertRecord> Firing => _firing.Values;

    public IReadOnlyList<AlertRecord> Recent => _recent;

    /// <summary>
    /// Takes one evaluation: every active rule on every subject it concerns. A firing alert whose
    /// rule or subject is no longer read (the rule was switched off, the component removed)
    /// resolves, saying so.
    /// </summary>
    public List<AlertChange> Apply(IReadOnlyList<RuleReading> readings, DateTimeOffset now)
    {
        var changes = new List<AlertChange>();
        var read = new HashSet<(string, string)>();
        foreach (var reading in readings)
        {
            var key = (reading.Rule.Name, reading.Subject.Name);
            read.Add(key);
            if (_firing.TryGetValue(key, out var firing))
            {
                _pending.Remove(key);
                if (!reading.Cleared)
                {
                    _clearing.Remove(key);
                    continue;
                }

                var clearSince = _clearing.TryGetValue(key, out var since) ? since : now;
                if (now - clearSince >= reading.Rule.ClearAfter)
                {
                    _clearing.Remove(key);
                    changes.Add(Resolve(key, firing with { Value = reading.Value ?? firing.Value, Facts = reading.Facts.Count > 0 ? reading.Facts : ["no longer measured"] }, now, reading.Rule));
                }
                else
                {
                    _clearing[key] = clearSince;
                }

                continue;
            }

            _clearing.Remove(key);
            if (!reading.Holds)
            {
                _pending.Remove(key);
                continue;
            }

            var holdSince = _pending.TryGetValue(key, out var pendingSince) ? pendingSince : now;
            if (now - holdSince < reading.Rule.For)
            {
                _pending[key] = holdSince;
                continue;
            }

            _pending.Remove(key);
            var alert = new AlertRecord(reading.Rule.Name, reading.Subject.Name, reading.Subject.Component, reading.Rule.Severity, reading.Rule.Summary, Hint(reading.Rule, reading.Subject), now, null, reading.Value ?? 0, reading.Facts, null);
            _firing[key] = alert;
            changes.Add(new AlertChange(alert, Fired: true, reading.Rule));
        }

        foreach (var key in _firing.Keys.Where(k => !read.Contains(k)).ToList())
        {
            var gone = _firing[key];
            changes.Add(Resolve(key, gone with { Facts = ["the rule no longer applies here (switched off, changed, or its subject is gone)"] }, now, rule: null));
        }

        foreach (var key in _pending.Keys.Where(k => !read.Contains(k)).ToList())
        {
            _pending.Remove(key);
        }

        foreach (var key in _clearing.Keys.Where(k => !read.Contains(k)).ToList())
        {
            _clearing.Remove(key);
        }

        return changes;
    }

    /// <summary>Writes down what was done about a firing alert.</summary>
    public AlertRecord? NoteAction(string rule, string subject, string action)
    {
        if (!_firing.TryGetValue((rule, subject), out var alert))
        {
            return null;
        }

        return _firing[(rule, subject)] = alert with { Action = action };
    }

    private AlertChange Resolve((string Rule, string Subject) key, AlertRecord alert, DateTimeOffset now, MonitorRule? rule)
    {
        _firing.Remove(key);
        var resolved = alert with { ResolvedAt = now };
        _recent.Add(resolved);
        if (_recent.Count > RecentKept)
        {
            _recent.RemoveRange(0, _recent.Count - RecentKept);
        }

        return new AlertChange(resolved, Fired: false, rule ?? PlaceholderRule(alert));
    }

    private static MonitorRule PlaceholderRule(AlertRecord alert) => new(
        alert.Rule, false, new RuleCondition(MetricCatalog.Events, ThresholdDirection.Above, 0, null, null, false), [], [], TimeSpan.Zero, TimeSpan.Zero, alert.Severity, RuleAction.Alert, [], alert.Summary, alert.Hint);

    /// <summary>The rule's hint with its subject filled in: every command printed must work as typed.</summary>
    public static string? Hint(MonitorRule rule, RuleSubject subject) =>
        rule.Hint?.Replace("{component}", subject.Component ?? "", StringComparison.Ordinal).Replace("{subject}", subject.Name, StringComparison.Ordinal);
}
