using System.Text.RegularExpressions;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>The outcome of loading a stack file: the stack when it is valid, and every problem found.</summary>
public sealed record StackLoadResult(StackFile? Stack, IReadOnlyList<ConfigProblem> Problems)
{
    public bool Succeeded => Stack is not null;

    public IEnumerable<ConfigProblem> Errors => Problems.Where(p => p.IsError);

    public IEnumerable<ConfigProblem> Warnings => Problems.Where(p => !p.IsError);
}

/// <summary>
/// Reads, interpolates, binds and validates a stack file in one pass, collecting every problem
/// with its file:line:column instead of stopping at the first.
/// </summary>
public static partial class StackFileLoader
{
    public static StackLoadResult Load(string path, Func<string, string?>? environment = null, string? displayPath = null)
    {
        var problems = new ConfigProblems();
        var shownPath = displayPath ?? path;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problems.Error(new SourceLocation(shownPath, 0, 0), "stack file not found", "create one with `tend init`, or give its path with -f");
            return new StackLoadResult(null, problems.Items);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Error(new SourceLocation(shownPath, 0, 0), $"cannot read the stack file: {e.Message}");
            return new StackLoadResult(null, problems.Items);
        }

        return Parse(text, path, shownPath, environment ?? Environment.GetEnvironmentVariable, problems);
    }

    /// <summary>
    /// Where the daemon of a stack file that does not load keeps its state: the file's
    /// <c>[stack] state_dir</c> as far as it can still be read, else the default beside it. Status,
    /// down and daemon stop go by it, so a file broken while its stack runs locks nobody out.
    /// </summary>
    public static string StateDirectoryOf(string path, Func<string, string?>? environment = null)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? ".";
        var fallback = new StackFile(fullPath, "", [], []).StateDirectory;
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return fallback;
        }

        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.ParseLeniently(text, fullPath);
        var context = new ReadContext(problems, new Interpolation(BuildLookup(root, directory, environment ?? Environment.GetEnvironmentVariable, problems)), directory);
        var stateDirectory = new TableReader(root, "", context).Subtable("stack")?.String("state_dir");
        return stateDirectory is null || stateDirectory.Contains('\0', StringComparison.Ordinal) ? fallback : Path.GetFullPath(stateDirectory, directory);
    }

    public static StackLoadResult Parse(string text, string path, string shownPath, Func<string, string?> environment, ConfigProblems problems)
    {
        var root = TomlTreeBuilder.Parse(text, shownPath, problems);
        if (root is null)
        {
            return new StackLoadResult(null, problems.Items);
        }

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? ".";
        var interpolation = new Interpolation(BuildLookup(root, directory, environment, problems));
        var context = new ReadContext(problems, interpolation, directory);
        var top = new TableReader(root, "", context);

        var stackTable = top.Subtable("stack");
        var name = stackTable?.String("name") ?? Path.GetFileName(directory);
        stackTable?.Allow("env_file");
        stackTable?.String("description");
        var stateDirectory = stackTable?.String("state_dir");
        var backups = stackTable?.String("backups");
        var cgroups = stackTable?.Boolean("cgroups") ?? true;
        var updates = stackTable?.Choice("updates", ["allowed", "pinned"]) == "pinned" ? UpdatesPolicy.Pinned : UpdatesPolicy.Allowed;
        var events = stackTable is null ? EventsPolicy.Default : SupervisionReader.ReadEvents(stackTable);
        var expects = stackTable?.Subtable("expects") is { } expectsTable ? ReadExpectation(expectsTable) : null;
        var redact = RedactReader.Read(stackTable);
        stackTable?.Finish();

        var drafts = ReadComponents(top, problems);
        var rules = DiagnoseRuleReader.Read(root, context, "stack-");
        top.Allow("diagnose");
        var components = ResolveRequirements(drafts, problems);
        var http = HttpReader.Read(top);
        var actors = ActorsReader.Read(top);
        var workflows = WorkflowReader.ReadAll(top, shownPath, directory);
        var monitor = MonitorReader.Read(top, components, [.. workflows.Select(w => w.Name)]);
        top.Finish();

        CheckNeeds(components, problems);
        if (components.Count > 0 && !problems.HasErrors)
        {
            RejectCycles(components, problems);
        }

        if (problems.HasErrors)
        {
            return new StackLoadResult(null, problems.Sorted());
        }

        var stack = new StackFile(fullPath, name, [.. components], [.. rules]) { Events = events, Interpolated = new(interpolation.Used), Expects = expects, Cgroups = cgroups, Monitor = monitor, Http = http, Updates = updates, Redact = redact, Actors = actors, Workflows = [.. workflows.Select(w => WorkflowActors.Resolve(w, actors))] };
        if (stateDirectory is not null)
        {
            stack = stack with { StateDirectory = Path.GetFullPath(stateDirectory, directory) };
        }

        if (backups is not null)
        {
            stack = stack with { BackupsSetting = Path.GetFullPath(backups, directory) };
        }

        return new StackLoadResult(stack, problems.Sorted());
    }

    private static StackExpectation? ReadExpectation(TableReader table)
    {
        var file = table.String("file", required: true);
        var what = table.String("what", required: true);
        var hint = table.String("hint");
        table.Finish();
        return file is null || what is null ? null : new StackExpectation(file, what, hint);
    }

    /// <summary>
    /// Interpolation sees the process environment first, then <c>.env</c> beside the stack file,
    /// then <c>[stack] env_file</c>, as docker compose gives the shell precedence over files.
    /// </summary>
    private static Func<string, string?> BuildLookup(TomlTableNode root, string directory, Func<string, string?> environment, ConfigProblems problems)
    {
        var files = new List<IReadOnlyDictionary<string, string>>();
        var dotEnv = Path.Combine(directory, ".env");
        if (File.Exists(dotEnv) && EnvFile.Load(dotEnv, new SourceLocation(dotEnv, 0, 0), problems) is { } values)
        {
            files.Add(values);
        }

        if (root.TryGet("stack", out var stack) && stack.Value is TomlTableNode stackTable && stackTable.TryGet("env_file", out var envFile))
        {
            var names = envFile.Value switch
            {
                TomlStringNode s => [s],
                TomlArrayNode a => a.Items.OfType<TomlStringNode>().ToList(),
                _ => [],
            };
            foreach (var file in names)
            {
                if (EnvFile.Load(Path.GetFullPath(file.Value, directory), file.Location, problems) is { } fileValues)
                {
                    files.Add(fileValues);
                }
            }
        }

        return name => environment(name) ?? files.Select(f => f.GetValueOrDefault(name)).FirstOrDefault(v => v is not null);
    }

    private static List<ComponentReader.ComponentDraft> ReadComponents(TableReader top, ConfigProblems problems)
    {
        var drafts = new List<ComponentReader.ComponentDraft>();
        var componentsTable = top.Subtable("components");
        if (componentsTable is null)
        {
            // A stack of workflows alone (examples/triage) runs commands, not services.
            if (!top.Table.TryGet("workflows", out _))
            {
                problems.Error(top.Location, "the stack file defines no components", "add a [components.NAME] table (or a [workflows.NAME]); `tend init` writes an example");
            }

            return drafts;
        }

        foreach (var entry in componentsTable.Table.Entries)
        {
            componentsTable.Allow(entry.Key);
            if (!ComponentName().IsMatch(entry.Key))
            {
                problems.Error(entry.KeyLocation, $"'{entry.Key}' is not a valid component name", "use letters, digits, '-', '_' and '.', starting with a letter or digit");
                continue;
            }

            if (entry.Value is not TomlTableNode table)
            {
                problems.Error(entry.Value.Location, $"components.{entry.Key} must be a table, not a {entry.Value.TypeName}");
                continue;
            }

            drafts.Add(ComponentReader.Read(entry.Key, new TableReader(table, $"components.{entry.Key}", top.Context)));
        }

        componentsTable.Finish();
        return drafts;
    }

    private static List<Component> ResolveRequirements(List<ComponentReader.ComponentDraft> drafts, ConfigProblems problems)
    {
        var byName = drafts.ToDictionary(d => d.Component.Name, d => d.Component, StringComparer.Ordinal);
        var result = new List<Component>(drafts.Count);
        foreach (var draft in drafts)
        {
            var component = draft.Component;
            var requirements = new List<Requirement>();
            foreach (var raw in draft.Requires)
            {
                if (raw.Component == component.Name)
                {
                    problems.Error(raw.Location, $"components.{component.Name} requires itself");
                    continue;
                }

                if (!byName.TryGetValue(raw.Component, out var required))
                {
                    problems.Error(raw.Location, $"components.{component.Name} requires '{raw.Component}', which is not a component of this stack", DidYouMean.Hint(raw.Component, byName.Keys) ?? $"components are: {string.Join(", ", byName.Keys)}");
                    continue;
                }

                var condition = raw.Condition ?? Implied(required);
                if (Reject(component, required, condition) is { } why)
                {
                    problems.Error(raw.Location, why.Message, why.Hint);
                    continue;
                }

                requirements.Add(new Requirement(raw.Component, condition) { Location = raw.Location });
            }

            result.Add(component with { Requires = [.. requirements] });
        }

        return result;
    }

    private static RequirementCondition Implied(Component required) => required switch
    {
        { Kind: ComponentKind.Job } => RequirementCondition.Completed,
        { Health: not null } => RequirementCondition.Healthy,
        _ => RequirementCondition.Started,
    };

    private static (string Message, string Hint)? Reject(Component component, Component required, RequirementCondition condition) => condition switch
    {
        RequirementCondition.Completed when required.Kind is not (ComponentKind.Job or ComponentKind.Rounds) =>
            ($"components.{component.Name} waits for '{required.Name}' to complete, but {required.Name} is a {required.KindName} and never completes", $"use \"healthy\" or \"started\", or make {required.Name} kind = \"job\" (or \"rounds\", which completes at a stop trigger)"),
        RequirementCondition.Healthy when required.Kind == ComponentKind.Rounds =>
            ($"components.{component.Name} waits for '{required.Name}' to be healthy, but {required.Name} runs in rounds, which end one by one", "require it \"started\" (rounds underway) or \"completed\" (ended by a stop trigger)"),
        RequirementCondition.Healthy when required.Health is null =>
            ($"components.{component.Name} waits for '{required.Name}' to be healthy, but {required.Name} has no health probe", $"add [components.{required.Name}.health], or require it \"started\""),
        RequirementCondition.Started when required.Kind == ComponentKind.External =>
            ($"components.{component.Name} waits for '{required.Name}' to start, but {required.Name} is external and never started by tend", "require it \"healthy\" and give it a health probe"),
        RequirementCondition.Healthy when required.Kind == ComponentKind.Job =>
            ($"components.{component.Name} waits for '{required.Name}' to be healthy, but {required.Name} is a job", "require it \"completed\""),
        _ => null,
    };

    /// <summary>A check that needs another component (alembic on its database) needs one with a health check.</summary>
    private static void CheckNeeds(List<Component> components, ConfigProblems problems)
    {
        var byName = components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var component in components)
        {
            var checks = component.Preflight.Concat(component.Health is null ? [] : [component.Health.Check]);
            foreach (var check in checks)
            {
                foreach (var needed in check.NeedsComponents)
                {
                    if (!byName.TryGetValue(needed, out var target))
                    {
                        problems.Error(check.Location, $"the {check.Kind} check of {component.Name} refers to '{needed}', which is not a component of this stack", DidYouMean.Hint(needed, byName.Keys));
                    }
                    else if (target.Health is null)
                    {
                        problems.Error(check.Location, $"the {check.Kind} check of {component.Name} refers to '{needed}', which has no health check to reach it by", $"give {needed} a health probe");
                    }
                }
            }
        }
    }

    private static void RejectCycles(List<Component> components, ConfigProblems problems)
    {
        var edges = components.ToDictionary(c => c.Name, c => (IReadOnlyList<string>)[.. c.Requires.Select(r => r.Component)], StringComparer.Ordinal);
        if (DependencyGraph.FindCycle(edges) is not { } cycle)
        {
            return;
        }

        var closing = components.First(c => c.Name == cycle[^2]).Requires.First(r => r.Component == cycle[^1]);
        problems.Error(closing.Location, $"dependency cycle: {string.Join(" → ", cycle)}", "remove one of these requirements; nothing in a cycle could ever start");
    }

    /// <summary>Whether <paramref name="name"/> can name a component: never a path (no '/', no leading '.').</summary>
    public static bool IsComponentName(string name) => ComponentName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ComponentName();
}
