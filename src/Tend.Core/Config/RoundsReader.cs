using System.Text.RegularExpressions;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Rounds;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// Reads what a <c>kind = "rounds"</c> component adds: <c>[rounds]</c>, <c>[prompt]</c>,
/// <c>[phase.NAME]</c>, <c>[hooks]</c> and <c>[[classify]]</c>. Everything a round would trip
/// over later (a missing prompt file, an unknown phase, a bad regex) is an error now, so it is
/// found by <c>tend validate</c> and not in round 500.
/// </summary>
internal static class RoundsReader
{
    public static readonly IReadOnlyList<string> Sections = ["rounds", "prompt", "phase", "hooks", "classify"];

    public static RoundsPolicy Read(string name, TableReader component)
    {
        var rounds = component.Subtable("rounds");
        var delay = AtMost(rounds, "delay") ?? TimeSpan.FromSeconds(10);
        // Not zero: after a failure that an alert rule classified, nothing else would slow the retries.
        var failureDelay = Positive(rounds, "failure_delay") ?? TimeSpan.FromSeconds(60);
        var timeout = Positive(rounds, "timeout") ?? TimeSpan.FromHours(1);
        var maxRounds = (int?)rounds?.Integer("max_rounds", 1, int.MaxValue);
        var sentinel = ReadSentinel(rounds);
        var stopFile = ReadStopFile(rounds, component.Context.BaseDirectory);
        var result = rounds is null ? null : ReadRegex(rounds, "result");
        var grace = AtMost(rounds, "grace_after_result") ?? TimeSpan.FromSeconds(60);
        var ignore = rounds is null ? [] : ReadRegexList(rounds, "grace_ignore");
        var shortCrash = Positive(rounds, "short_crash") ?? TimeSpan.FromSeconds(60);
        var crashLoopAfter = (int?)rounds?.Integer("crash_loop_after", 1, 1000) ?? 5;
        var backOffMax = Positive(rounds, "back_off_max") ?? TimeSpan.FromHours(6);
        var (jitterMin, jitterMax) = rounds?.DurationRange("reset_jitter", "5s..30s") ?? (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        var presets = rounds is null ? [] : ReadPresetNames(rounds);
        var order = rounds?.Entry("phases");
        rounds?.Finish();

        var prompt = ReadPrompt(component);
        var phaseTables = ReadPhases(component);
        var phases = OrderPhases(component, order, phaseTables);
        var hooks = ReadHooks(component);
        var classify = ClassifyRulesReader.Read(component).Concat(ReadPresets(rounds, presets)).ToList();

        if (prompt is { Files.Count: 0 } && phases.All(p => p.PromptFiles is not { Count: > 0 }))
        {
            component.Problems.Error(component.Table.TryGet("prompt", out var promptEntry) ? promptEntry.KeyLocation : component.Location, $"components.{name}.prompt names no file, and no phase does: every round would get an empty prompt", "add files = [\"prompts/task.md\"], or prompt = [...] to each phase");
        }

        if (prompt is null && phases.Any(p => p.PromptFiles is not null))
        {
            component.Problems.Error(component.Location, $"components.{name}: phases give prompt files, but there is no [components.{name}.prompt] saying how to pass them", "add [components." + name + ".prompt] with arg = [\"-p\", \"{prompt}\"] or stdin = true");
        }

        return new RoundsPolicy(
            delay, failureDelay, timeout, maxRounds, sentinel, stopFile, result, grace, [.. ignore], shortCrash, crashLoopAfter,
            backOffMax, jitterMin, jitterMax, prompt, [.. phases], hooks, [.. classify]);
    }

    /// <summary>The names of the tables only a rounds component may have, for the error on other kinds.</summary>
    public static IEnumerable<string> PresentSections(TableReader component) => Sections.Where(s => component.Table.TryGet(s, out _));

    private static string ReadSentinel(TableReader? rounds)
    {
        if (rounds?.Entry("sentinel") is not { } entry || rounds.AsString(entry.Value, rounds.Describe("sentinel")) is not { } value)
        {
            return RoundsPolicy.DefaultSentinel;
        }

        // The round writes it into TEND_LOG_DIR: a bare name keeps it there, where it is cleaned;
        // and not a name tend writes there itself, or a round would end every session at once.
        if (value.Length == 0 || value.Contains('/', StringComparison.Ordinal) || value is "." or ".." or "current.log" or "prompt-current.md" or RoundsPolicy.DefaultStopFileName
            || (value.StartsWith("run-", StringComparison.Ordinal) && value.EndsWith(".log", StringComparison.Ordinal)))
        {
            rounds.Problems.Error(entry.Value.Location, $"{rounds.Describe("sentinel")} must be a file name of its own (written by the round into $TEND_LOG_DIR), not \"{value}\"", $"e.g. sentinel = \"{RoundsPolicy.DefaultSentinel}\"");
            return RoundsPolicy.DefaultSentinel;
        }

        return value;
    }

    /// <summary>The longest duration a rounds setting takes: timers cannot wait more than 49 days, and nobody means more.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(30);

    /// <summary>A duration that must be above zero: a zero timeout would kill every round at its start.</summary>
    private static TimeSpan? Positive(TableReader? table, string key)
    {
        if (AtMost(table, key) is not { } value)
        {
            return null;
        }

        if (value > TimeSpan.Zero)
        {
            return value;
        }

        table!.Problems.Error(table.Entry(key)!.Value.Location, $"{table.Describe(key)} must be more than zero");
        return null;
    }

    private static TimeSpan? AtMost(TableReader? table, string key)
    {
        if (table?.Duration(key) is not { } value)
        {
            return null;
        }

        if (value <= Longest)
        {
            return value;
        }

        var written = table.Entry(key)!.Value;
        table.Problems.Error(written.Location, $"{table.Describe(key)} must be at most 30 days, not {(written is TomlStringNode text ? text.Value : Quantities.FormatDuration(value))}");
        return null;
    }

    private static string? ReadStopFile(TableReader? rounds, string baseDirectory)
    {
        if (rounds?.Entry("stop_file") is not { } entry || rounds.AsString(entry.Value, rounds.Describe("stop_file")) is not { } path)
        {
            return null;
        }

        if (path.Trim().Length == 0 || path.EndsWith('/'))
        {
            rounds.Problems.Error(entry.Value.Location, $"{rounds.Describe("stop_file")} must name a file, not \"{path}\"", "e.g. stop_file = \"stop-requested\" (beside the stack file)");
            return null;
        }

        return Path.GetFullPath(path, baseDirectory);
    }

    private static Pattern? ReadRegex(TableReader table, string key)
    {
        if (table.Entry(key) is not { } entry || table.AsString(entry.Value, table.Describe(key)) is not { } pattern)
        {
            return null;
        }

        if (pattern.Length == 0)
        {
            table.Problems.Error(entry.Value.Location, $"{table.Describe(key)} must not be empty: it would match every line");
            return null;
        }

        return Compile(table, entry.Value, table.Describe(key), pattern);
    }

    private static List<Pattern> ReadRegexList(TableReader table, string key)
    {
        var result = new List<Pattern>();
        if (table.Entry(key) is not { } entry)
        {
            return result;
        }

        if (entry.Value is not TomlArrayNode array)
        {
            table.TypeError(entry.Value, table.Describe(key), "an array of regular expressions");
            return result;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            var what = $"{table.Describe(key)}[{i}]";
            if (table.AsString(array.Items[i], what) is { } pattern && Compile(table, array.Items[i], what, pattern) is { } regex)
            {
                result.Add(regex);
            }
        }

        return result;
    }

    internal static Pattern? Compile(TableReader table, TomlNode node, string what, string pattern)
    {
        try
        {
            return ClassifyRule.Compile(pattern);
        }
        catch (ArgumentException e)
        {
            table.Problems.Error(node.Location, $"{what}: invalid regex: {e.Message}");
            return null;
        }
    }

    /// <summary><c>classify_preset</c>: one name or a list, each with its place for the error on an unknown one.</summary>
    private static List<(string Name, SourceLocation Location)> ReadPresetNames(TableReader rounds)
    {
        var result = new List<(string, SourceLocation)>();
        if (rounds.Entry("classify_preset") is not { } entry)
        {
            return result;
        }

        var items = entry.Value is TomlArrayNode array ? array.Items : [entry.Value];
        foreach (var item in items)
        {
            if (rounds.AsString(item, rounds.Describe("classify_preset")) is { } name)
            {
                result.Add((name, item.Location));
            }
        }

        return result;
    }

    private static IEnumerable<ClassifyRule> ReadPresets(TableReader? rounds, List<(string Name, SourceLocation Location)> names)
    {
        foreach (var (preset, location) in names)
        {
            if (ClassifierPresets.Get(preset) is { } rules)
            {
                foreach (var rule in rules)
                {
                    yield return rule;
                }
            }
            else
            {
                rounds!.Problems.Error(location, $"{rounds.Describe("classify_preset")}: no rule set named \"{preset}\"; there are {string.Join(", ", ClassifierPresets.Names.Select(n => $"\"{n}\""))}", DidYouMean.Hint(preset, ClassifierPresets.Names));
            }
        }
    }

    private static RoundPrompt? ReadPrompt(TableReader component)
    {
        if (component.Subtable("prompt") is not { } table)
        {
            return null;
        }

        var files = ReadPromptFiles(table, "files") ?? [];
        var separator = table.String("separator") ?? "\n\n";
        var arg = table.Argv("arg");
        var stdin = table.Boolean("stdin") ?? false;
        table.Finish();
        if (arg is not null && stdin)
        {
            table.Problems.Error(table.Location, $"{table.Path}: give the prompt as arg or on stdin, not both");
        }
        else if (arg is null && !stdin)
        {
            table.Problems.Error(table.Location, $"{table.Path} must say how the round gets the prompt", "arg = [\"-p\", \"{prompt}\"] (or \"{prompt_file}\" for a path), or stdin = true");
        }
        else if (arg is not null && !arg.Any(a => a.Contains("{prompt}", StringComparison.Ordinal) || a.Contains("{prompt_file}", StringComparison.Ordinal)))
        {
            table.Problems.Error(table.Entry("arg")!.Value.Location, $"{table.Describe("arg")} must contain {{prompt}} or {{prompt_file}} where the prompt goes", "e.g. arg = [\"-p\", \"{prompt}\"]");
        }

        return new RoundPrompt([.. files], separator, arg, stdin);
    }

    /// <summary>A list of prompt files, each of which must exist now, so a round never starts without its prompt.</summary>
    private static List<string>? ReadPromptFiles(TableReader table, string key)
    {
        if (table.Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlArrayNode array)
        {
            table.TypeError(entry.Value, table.Describe(key), "an array of file paths");
            return null;
        }

        var result = new List<string>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var what = $"{table.Describe(key)}[{i}]";
            if (table.AsString(array.Items[i], what) is not { } file)
            {
                continue;
            }

            var path = Path.GetFullPath(file, table.Context.BaseDirectory);
            if (Directory.Exists(path))
            {
                table.Problems.Error(array.Items[i].Location, $"{what}: prompt file {path} is a directory");
            }
            else if (!File.Exists(path))
            {
                table.Problems.Error(array.Items[i].Location, $"{what}: prompt file {path} does not exist");
            }

            result.Add(path);
        }

        return result;
    }

    private static List<(RoundPhase Phase, SourceLocation Location)> ReadPhases(TableReader component)
    {
        var result = new List<(RoundPhase, SourceLocation)>();
        if (component.Subtable("phase") is not { } phases)
        {
            return result;
        }

        foreach (var entry in phases.Table.Entries)
        {
            phases.Allow(entry.Key);
            if (entry.Value is not TomlTableNode node)
            {
                phases.TypeError(entry.Value, phases.Describe(entry.Key), "a table such as { args = [...], prompt = [...] }");
                continue;
            }

            var table = new TableReader(node, phases.Describe(entry.Key), component.Context);
            var args = table.Entry("args") is { } argsEntry ? table.AsStringList(argsEntry.Value, table.Describe("args")) ?? [] : [];
            var env = table.StringMap("env") ?? ValueDictionary.Empty;
            var prompt = ReadPromptFiles(table, "prompt");
            if (prompt is { Count: 0 })
            {
                table.Problems.Error(table.Entry("prompt")!.Value.Location, $"{table.Describe("prompt")} names no file: the phase's rounds would get an empty prompt", "leave it out to use [prompt] files");
            }

            var timeout = Positive(table, "timeout");
            table.Finish();
            result.Add((new RoundPhase(entry.Key, args, env, prompt is null ? null : [.. prompt], timeout), entry.KeyLocation));
        }

        phases.Finish();
        return result;
    }

    /// <summary>The rotation: <c>rounds.phases</c> names the order (a name may repeat); without it, the tables' order.</summary>
    private static List<RoundPhase> OrderPhases(TableReader component, TomlEntry? order, List<(RoundPhase Phase, SourceLocation Location)> tables)
    {
        var byName = tables.ToDictionary(t => t.Phase.Name, t => t.Phase, StringComparer.Ordinal);
        if (order is null)
        {
            return [.. tables.Select(t => t.Phase)];
        }

        var what = $"{component.Path}.rounds.phases";
        if (order.Value is not TomlArrayNode array)
        {
            component.TypeError(order.Value, what, "an array of phase names");
            return [];
        }

        var result = new List<RoundPhase>();
        foreach (var item in array.Items)
        {
            if (component.AsString(item, what + " item") is not { } name)
            {
                continue;
            }

            if (byName.TryGetValue(name, out var phase))
            {
                result.Add(phase);
            }
            else
            {
                var hint = byName.Count == 0 ? $"define it as [{component.Path}.phase.{name}]" : DidYouMean.Hint(name, byName.Keys) ?? $"the phases are {string.Join(", ", byName.Keys)}";
                component.Problems.Error(item.Location, $"{what}: unknown phase \"{name}\"", hint);
            }
        }

        // After a misspelt name, the table it meant looks unused: one error is enough.
        var misspelt = array.Items.Count > result.Count;
        foreach (var unused in tables.Where(t => !misspelt && !result.Any(p => p.Name == t.Phase.Name)))
        {
            component.Problems.Error(unused.Location, $"{component.Path}.phase.{unused.Phase.Name} is never used: it is not in rounds.phases", $"add \"{unused.Phase.Name}\" to rounds.phases, or remove the table");
        }

        return result;
    }

    private static RoundHooks ReadHooks(TableReader component)
    {
        if (component.Subtable("hooks") is not { } table)
        {
            return RoundHooks.None;
        }

        var onStart = table.Argv("on_start");
        var preRound = table.Argv("pre_round");
        var timeout = Positive(table, "timeout") ?? RoundHooks.None.Timeout;
        table.Finish();
        return new RoundHooks(onStart, preRound, timeout);
    }
}
