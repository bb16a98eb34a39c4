using Tend.Core.Model;

namespace Tend.Core.Monitoring;

/// <summary>
/// The recent events of the kinds rules count (<c>restart_scheduled</c> in the last hour, the
/// last 10 <c>round_ended</c>), per component, with the fields rules match on. Fed by the
/// daemon's event hub as events happen, and at start from the files, so a restart forgets nothing.
/// </summary>
public sealed class EventWindow
{
    private readonly Dictionary<string, (TimeSpan Keep, int Last, HashSet<string> Fields)> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Component, string Kind), List<(DateTimeOffset At, Dictionary<string, string> Fields)>> _events = [];

    public EventWindow(IEnumerable<MonitorRule> rules)
    {
        foreach (var count in rules.SelectMany(r => new[] { r.Condition }.Concat(r.Also).Concat(r.Either)).Select(c => c.Events).OfType<EventCount>())
        {
            var (keep, last, fields) = _kinds.GetValueOrDefault(count.Kind, (TimeSpan.Zero, 0, new HashSet<string>(StringComparer.Ordinal)));
            fields.UnionWith(count.Where.Keys);
            _kinds[count.Kind] = (count.Window is { } w && w > keep ? w : keep, Math.Max(last, count.Last ?? 0), fields);
        }
    }

    /// <summary>The kinds worth keeping, so the daemon reads only those back at start.</summary>
    public IReadOnlyCollection<string> Kinds => _kinds.Keys;

    /// <summary>How far back the daemon must read the files to know every window.</summary>
    public TimeSpan LongestWindow => _kinds.Values.Select(k => k.Keep).DefaultIfEmpty(TimeSpan.Zero).Max();

    public bool Wants(string kind) => _kinds.ContainsKey(kind);

    /// <summary>Takes one event of a component; <paramref name="field"/> gives its fields' values as text (null when absent).</summary>
    public void Add(string kind, string component, DateTimeOffset at, Func<string, string?> field)
    {
        if (!_kinds.TryGetValue(kind, out var wanted))
        {
            return;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in wanted.Fields)
        {
            if (field(name) is { } value)
            {
                fields[name] = value;
            }
        }

        if (!_events.TryGetValue((component, kind), out var list))
        {
            _events[(component, kind)] = list = [];
        }

        list.Add((at, fields));
        var tooOld = list.FindIndex(e => at - e.At <= wanted.Keep);
        var excess = Math.Max(list.Count - wanted.Last, 0);
        var drop = Math.Min(tooOld < 0 ? list.Count : tooOld, excess);
        if (drop > 0)
        {
            list.RemoveRange(0, drop);
        }
    }

    public int Count(EventCount count, string component, DateTimeOffset now)
    {
        if (!_events.TryGetValue((component, count.Kind), out var list))
        {
            return 0;
        }

        IEnumerable<(DateTimeOffset At, Dictionary<string, string> Fields)> span = count.Last is { } last
            ? list.Skip(Math.Max(0, list.Count - last))
            : list.Where(e => now - e.At <= count.Window!.Value);
        return span.Count(e => count.Where.All(w => e.Fields.TryGetValue(w.Key, out var v) && v == w.Value));
    }
}
