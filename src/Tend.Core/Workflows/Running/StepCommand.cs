using System.Text.RegularExpressions;
using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Workflows.Running;

/// <summary>A step's command as it will run: argv with its placeholders filled, where, and with what environment.</summary>
public sealed record ResolvedCommand(IReadOnlyList<string> Argv, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment, bool ReplaceEnvironment)
{
    /// <summary>The component whose named command this is; null for a command line of the step's own.</summary>
    public Component? Component { get; init; }

    /// <summary>The component's command it runs, whose <c>preflight</c> says what is checked first.</summary>
    public ComponentCommand? Named { get; init; }
}

/// <summary>
/// Turns a step's <see cref="StepRun"/> into a command line: <c>{key}</c> filled from its
/// <c>with</c> and the run's inputs, a whole <c>{files}</c> whose value is a glob expanded to
/// the matching paths, and <c>INPUT_KEY</c> in its environment. A component's command runs
/// with the component's environment and working directory, as <c>tend run</c> runs it.
/// </summary>
public static partial class StepCommand
{
    /// <summary>The values a step's placeholders and <c>INPUT_*</c> see: the run's inputs, then the step's <c>with</c> (which wins), each with the inputs filled in.</summary>
    public static IReadOnlyDictionary<string, string> Values(WorkflowStep step, IReadOnlyDictionary<string, string> inputs)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(inputs);
        var values = new Dictionary<string, string>(inputs, StringComparer.Ordinal);
        foreach (var (key, value) in step.With)
        {
            values[key] = Fill(value, inputs);
        }

        return values;
    }

    /// <summary>The command, or why it cannot run (a component or command the stack does not have, an actor that does not resolve).</summary>
    public static (ResolvedCommand? Command, string? Problem) Resolve(Workflow workflow, WorkflowStep step, StackFile? stack, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> tendVariables)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(tendVariables);
        var values = Values(step, inputs);
        var run = step.Run is StepRun.Actor actor ? actor.Resolved : step.Run;
        IReadOnlyList<string> argv;
        string directory;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var replace = false;
        Component? owner = null;
        ComponentCommand? named = null;
        switch (run)
        {
            case StepRun.Command command:
                argv = command.Argv;
                directory = workflow.Directory;
                break;
            case StepRun.ComponentCommand ofComponent:
                if (stack?.Find(ofComponent.Component) is not { } component)
                {
                    return (null, $"no component '{ofComponent.Component}' in {stack?.Path ?? "the stack file (none was found)"}");
                }

                if (component.MatchCommand(ofComponent.CommandName.Split(' ', StringSplitOptions.RemoveEmptyEntries)) is not { } match)
                {
                    return (null, $"{component.Name} has no command '{ofComponent.CommandName}'");
                }

                owner = component;
                named = match.Command;
                argv = [.. match.Command.Argv, .. ofComponent.CommandName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(match.WordsUsed)];
                directory = component.WorkingDirectory;
                foreach (var (key, value) in ChildEnvironment.For(component, stack))
                {
                    environment[key] = value;
                }

                replace = !component.EnvInherit.All;
                break;
            default:
                return (null, step.Run is StepRun.Actor a ? $"actor '{a.Name}' does not resolve to a command (see [actors] in the stack file)" : "the step has nothing to run");
        }

        foreach (var (key, value) in values)
        {
            environment[$"INPUT_{EnvName(key)}"] = value;
        }

        foreach (var (key, value) in tendVariables)
        {
            environment[key] = value;
        }

        var filled = new List<string>();
        foreach (var word in argv)
        {
            if (WholePlaceholder(word) is { } key && values.TryGetValue(key, out var value) && FileGlob.IsGlob(value))
            {
                filled.AddRange(FileGlob.Expand(workflow.Directory, value));
            }
            else
            {
                filled.Add(Fill(word, values));
            }
        }

        if (filled.Count == 0)
        {
            return (null, "its command is empty once its placeholders are filled");
        }

        return (new ResolvedCommand(filled, directory, environment, replace) { Component = owner, Named = named }, null);
    }

    /// <summary><c>{key}</c> replaced by its value; an unknown key is left as written, so the step sees what was meant.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static string? WholePlaceholder(string word) => Placeholder().Match(word) is { Success: true } m && m.Length == word.Length ? m.Groups[1].Value : null;

    private static string EnvName(string key) => NotEnvChar().Replace(key.ToUpperInvariant(), "_");

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_.-]*)\}", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Placeholder();

    [GeneratedRegex("[^A-Z0-9_]", RegexOptions.CultureInvariant, 100)]
    private static partial Regex NotEnvChar();
}
