using System.Reflection;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// Reads <c>[monitor]</c> (interval and <c>[[monitor.rule]]</c>) and <c>[[notify]]</c>. The built-in
/// rules come first, each as the stack file changed it: a stack rule with a built-in's name
/// changes only the keys it gives (and turns a rule that is off by default on, unless it says
/// <c>enabled = false</c>).
/// </summary>
internal static class MonitorReader
{
    private static readonly Lazy<IReadOnlyList<TomlTableNode>> BuiltInTables = new(LoadBuiltIn);

    /// <summary>The built-in rules as shipped, for docs/monitor.md and tests.</summary>
    public static IReadOnlyList<MonitorRule> BuiltIn()
    {
        var problems = new ConfigProblems();
        var context = new ReadContext(problems, Interpolation.None, ".");
        return [.. BuiltInTables.Value.Select((t, i) => MonitorRuleReader.Read(new TableReader(t, $"built-in rule[{i}]", context), builtIn: true)).OfType<MonitorRule>()];
    }

    /// <param name="workflows">The stack's workflows, which rules on workflow metrics must name.</param>
    public static MonitorPolicy Read(TableReader top, IReadOnlyList<Component> components, IReadOnlyCollection<string>? workflows = null)
    {
        var monitor = top.Subtable("monitor");
        var interval = monitor?.Duration("interval") ?? MonitorPolicy.DefaultInterval;
        if (interval < TimeSpan.FromMilliseconds(100))
        {
            top.Problems.Error(monitor!.Entry("interval")!.Value.Location, $"{monitor.Describe("interval")} must be at least 100ms, not {Quantities.FormatDuration(interval)}", "the default is 10s: often enough to see trouble, rare enough to cost nothing");
            interval = MonitorPolicy.DefaultInterval;
        }

        var keepDays = (int?)monitor?.Integer("keep_days", 1, 36_500) ?? 7;
        var maxBytes = 100_000_000L;
        if (monitor?.String("max_size") is { } size)
        {
            if (Quantities.TryParseSize(size, out var parsed) && parsed >= 1_000_000)
            {
                maxBytes = parsed;
            }
            else
            {
                top.Problems.Error(monitor.Entry("max_size")!.Value.Location, $"{monitor.Describe("max_size")} must be a size of at least 1MB, such as \"100MB\", not \"{size}\"");
            }
        }

        var disks = (monitor?.StringOrList("disks") ?? []).Select(d => Path.GetFullPath(d, top.Context.BaseDirectory)).ToList();
        foreach (var missing in disks.Where(d => !Directory.Exists(d)))
        {
            top.Problems.Warning(monitor!.Entry("disks")!.Value.Location, $"monitor.disks: {missing} does not exist (yet); its disk is watched once it does");
        }

        var userTables = ReadRuleTables(monitor);
        monitor?.Finish();

        var rules = new List<MonitorRule>();
        var builtInNames = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<int>();
        foreach (var builtIn in BuiltInTables.Value)
        {
            var name = ((TomlStringNode)builtIn.Entries.First(e => e.Key == "name").Value).Value;
            builtInNames.Add(name);
            var change = userTables.FindIndex(t => NameOf(t) == name);
            var table = builtIn;
            if (change >= 0)
            {
                used.Add(change);
                table = Merge(builtIn, userTables[change]);
            }

            var path = change >= 0 ? $"monitor.rule[{change}] ({name})" : $"built-in rule {name}";
            if (MonitorRuleReader.Read(new TableReader(table, path, top.Context), builtIn: true, workflows) is { } rule)
            {
                rules.Add(rule);
            }
        }

        var seen = new HashSet<string>(builtInNames, StringComparer.Ordinal);
        for (var i = 0; i < userTables.Count; i++)
        {
            if (used.Contains(i))
            {
                continue;
            }

            var reader = new TableReader(userTables[i], $"monitor.rule[{i}]", top.Context);
            if (MonitorRuleReader.Read(reader, builtIn: false, workflows) is not { } rule)
            {
                continue;
            }

            if (!seen.Add(rule.Name))
            {
                top.Problems.Error(rule.Location, $"monitor.rule[{i}]: a second rule named \"{rule.Name}\"", "give each rule a name of its own");
                continue;
            }

            rules.Add(rule);
        }

        rules.AddRange(MaxMemoryRules(components));
        CheckComponents(rules, components, top.Problems);
        var notifiers = NotifyReader.Read(top);
        return new MonitorPolicy(interval, [.. rules], [.. notifiers]) { KeepDays = keepDays, MaxBytes = maxBytes, Disks = [.. disks] };
    }

    /// <summary>pm2's max_memory_restart, summed over the run's whole group: one rule per component that sets <c>max_memory</c>.</summary>
    private static IEnumerable<MonitorRule> MaxMemoryRules(IReadOnlyList<Component> components) =>
        components.Where(c => c.MaxMemory is not null).Select(c => new MonitorRule(
            "max_memory",
            Enabled: true,
            new RuleCondition(Monitoring.MetricCatalog.MemoryBytes, ThresholdDirection.Above, c.MaxMemory!.Value, null, null, IfMissing: false),
            [],
            [],
            TimeSpan.Zero,
            TimeSpan.Zero,
            AlertSeverity.Warning,
            new RuleAction(RuleActionKind.Restart),
            [c.Name],
            $"memory above its max_memory ({Quantities.FormatSize(c.MaxMemory.Value)}): restarted",
            "`tend status` shows its memory; raise `max_memory` if it needs more, or find the leak in `tend logs {component}`")
        {
            Location = c.Location,
            BuiltIn = true,
        });

    private static void CheckComponents(List<MonitorRule> rules, IReadOnlyList<Component> components, ConfigProblems problems)
    {
        var names = components.Select(c => c.Name).ToList();
        foreach (var rule in rules)
        {
            if (rule.Enabled && rule.Action.Kind is RuleActionKind.Stop or RuleActionKind.Restart && rule.Components.Count == 0
                && Monitoring.MetricCatalog.Find(rule.Condition.Metric)?.Subject is Monitoring.MetricSubject.Host or Monitoring.MetricSubject.Check)
            {
                problems.Error(rule.Location, $"monitor rule \"{rule.Name}\" is about the host or a check: say which components its action = \"{rule.Action.Name}\" applies to", "add components = [\"...\"]");
            }

            foreach (var name in rule.Components.Where(n => !names.Contains(n)))
            {
                problems.Error(rule.Location, $"monitor rule \"{rule.Name}\" applies to '{name}', which is not a component of this stack", DidYouMean.Hint(name, names) ?? $"components are: {string.Join(", ", names)}");
            }
        }
    }

    private static List<TomlTableNode> ReadRuleTables(TableReader? monitor)
    {
        if (monitor?.Entry("rule") is not { } entry)
        {
            return [];
        }

        if (entry.Value is TomlArrayNode array && array.Items.All(i => i is TomlTableNode))
        {
            return [.. array.Items.Cast<TomlTableNode>()];
        }

        monitor.TypeError(entry.Value, monitor.Describe("rule"), "an array of tables: [[monitor.rule]]");
        return [];
    }

    private static string? NameOf(TomlTableNode table) => table.TryGet("name", out var entry) && entry.Value is TomlStringNode s ? s.Value : null;

    private static TomlTableNode Merge(TomlTableNode builtIn, TomlTableNode change)
    {
        var merged = new TomlTableNode(change.Location, isInline: false);
        foreach (var entry in builtIn.Entries.Where(e => e.Key != "enabled" || change.TryGet("enabled", out _)))
        {
            merged.Set(entry);
        }

        // A threshold changes direction with the change: `below` replaces a built-in `above`.
        foreach (var (key, opposite) in new[] { ("above", "below"), ("below", "above"), ("clear_below", "clear_above"), ("clear_above", "clear_below"), ("also", "either"), ("either", "also"), ("exec", "action"), ("action", "exec") })
        {
            if (change.TryGet(key, out _) && !change.TryGet(opposite, out _))
            {
                merged.Remove(opposite);
            }
        }

        if (change.TryGet("above", out _) || change.TryGet("below", out _))
        {
            // A new threshold makes the built-in hysteresis meaningless unless it is given again.
            if (!change.TryGet("clear_below", out _))
            {
                merged.Remove("clear_below");
            }

            if (!change.TryGet("clear_above", out _))
            {
                merged.Remove("clear_above");
            }
        }

        foreach (var entry in change.Entries)
        {
            merged.Set(entry);
        }

        return merged;
    }

    private static IReadOnlyList<TomlTableNode> LoadBuiltIn()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Tend.Core.Monitoring.rules.toml")
            ?? throw new InvalidOperationException("the built-in monitor rules are missing from the assembly");
        using var reader = new StreamReader(stream);
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse(reader.ReadToEnd(), "built-in monitor rules.toml", problems);
        if (root is null || problems.HasErrors || !root.TryGet("rule", out var entry) || entry.Value is not TomlArrayNode array)
        {
            throw new InvalidOperationException("the built-in monitor rules do not load: " + string.Join("; ", problems.Items));
        }

        return [.. array.Items.Cast<TomlTableNode>()];
    }
}
