using System.Text.RegularExpressions;
using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Text;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Workflows;

/// <summary>
/// What <c>tend workflow verify</c> checks once a workflow has been read: that every reference
/// resolves, the steps make a DAG, conditions parse, and settings make sense. Pure but for
/// looking whether schema files exist; every problem at its file:line:col.
/// </summary>
public static partial class WorkflowVerifier
{
    /// <param name="stack">The stack its actors and components come from; null when there is none.</param>
    public static IReadOnlyList<ConfigProblem> Verify(Workflow workflow, StackFile? stack)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var problems = new ConfigProblems();
        var ids = CheckIds(workflow, problems);
        foreach (var step in workflow.Steps)
        {
            CheckDependencies(step, ids, problems);
            CheckWhen(step, ids, problems);
            CheckRun(step, stack, problems);
            CheckRetry(step, problems);
            CheckEmits(step, workflow.Directory, problems);
        }

        if (workflow.Policy.Parallel < 1)
        {
            problems.Error(workflow.Location, $"policy.parallel must be 1 or more, not {workflow.Policy.Parallel}", "1 runs one step at a time");
        }

        CheckCycles(workflow, ids, problems);
        return problems.Sorted();
    }

    private static HashSet<string> CheckIds(Workflow workflow, ConfigProblems problems)
    {
        var seen = new Dictionary<string, WorkflowStep>(StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            if (seen.TryGetValue(step.Id, out var first))
            {
                problems.Error(step.Location, $"step id '{step.Id}' is used twice (first at {first.Location})", "each step needs an id of its own");
                continue;
            }

            seen[step.Id] = step;
            if (workflow.Format == WorkflowFormat.Yaml && !OrchestratorId().IsMatch(step.Id))
            {
                problems.Error(step.Location, $"step id '{step.Id}' is not in the X.YYY form (as \"1.001\")", "the YAML format numbers steps phase.step: digits, a dot, three digits");
            }
        }

        return [.. seen.Keys];
    }

    private static void CheckDependencies(WorkflowStep step, HashSet<string> ids, ConfigProblems problems)
    {
        foreach (var dependency in step.DependsOn)
        {
            if (dependency.StepId == step.Id)
            {
                problems.Error(dependency.Location, $"step {step.Id} depends on itself", "it could never start; remove it from depends_on");
            }
            else if (!ids.Contains(dependency.StepId))
            {
                problems.Error(dependency.Location, $"step {step.Id} depends on '{dependency.StepId}', which is not a step of this workflow", Known(dependency.StepId, ids, "steps"));
            }
        }
    }

    private static void CheckWhen(WorkflowStep step, HashSet<string> ids, ConfigProblems problems)
    {
        if (step.When is not { } text)
        {
            return;
        }

        var (expression, error) = WhenExpression.Parse(text);
        var at = step.WhenLocation.IsKnown ? step.WhenLocation : step.Location;
        if (error is not null)
        {
            var location = step.WhenLocation.IsKnown ? at with { Column = at.Column + Math.Max(0, error.Column - 1) } : at;
            problems.Error(location, $"step {step.Id}: when does not parse: {error.Message}", "docs/workflows.md, \"Conditions\", has the language");
            return;
        }

        foreach (var read in expression!.StepsRead.Where(id => !ids.Contains(id)).Distinct())
        {
            problems.Error(at, $"step {step.Id}: when reads steps.{read}, which is not a step of this workflow", Known(read, ids, "steps"));
        }
    }

    private static void CheckRun(WorkflowStep step, StackFile? stack, ConfigProblems problems)
    {
        var run = step.Run;
        if (run is StepRun.Actor actor)
        {
            if (actor.Resolved is null)
            {
                ReportActor(step, actor, stack, problems);
                return;
            }

            run = actor.Resolved;
        }

        if (run is not StepRun.ComponentCommand named)
        {
            return;
        }

        if (stack is null)
        {
            problems.Error(named.Location, $"step {step.Id} runs a command of component '{named.Component}', but there is no stack file to find it in", "run it beside a tend.toml, or give one with -f");
            return;
        }

        if (stack.Find(named.Component) is not { } component)
        {
            problems.Error(named.Location, $"step {step.Id} runs '{named.Component} {named.CommandName}', but '{named.Component}' is not a component of this stack", Known(named.Component, stack.Components.Select(c => c.Name), "components"));
            return;
        }

        if (component.MatchCommand(named.CommandName.Split(' ', StringSplitOptions.RemoveEmptyEntries)) is null)
        {
            var commands = component.Commands.Select(c => c.Name).ToList();
            problems.Error(named.Location, $"step {step.Id} runs '{named.Component} {named.CommandName}', but {named.Component} has no command '{named.CommandName}'", commands.Count == 0 ? $"{named.Component} has no [components.{named.Component}.commands]" : Known(named.CommandName, commands, "its commands"));
        }
    }

    private static void ReportActor(WorkflowStep step, StepRun.Actor actor, StackFile? stack, ConfigProblems problems)
    {
        if (stack is null)
        {
            problems.Error(actor.Location, $"step {step.Id}: actor '{actor.Name}' cannot be resolved: there is no stack file with an [actors] table", "run it beside a tend.toml (or give one with -f) whose [actors] says what each actor runs, e.g. ruff_checker = [\"ruff\", \"check\", \".\"]");
        }
        else if (stack.Actors.Count == 0)
        {
            problems.Error(actor.Location, $"step {step.Id}: actor '{actor.Name}' cannot be resolved: the stack file has no [actors] table", $"add [actors] to the stack file with {actor.Name} = [\"COMMAND\", \"ARG\"] or {actor.Name} = \"COMPONENT COMMAND\"");
        }
        else
        {
            problems.Error(actor.Location, $"step {step.Id}: actor '{actor.Name}' is not in the stack's [actors]", Known(actor.Name, stack.Actors.Select(a => a.Name), "actors"));
        }
    }

    private static void CheckRetry(WorkflowStep step, ConfigProblems problems)
    {
        if (step.Retry.Max < 0)
        {
            problems.Error(step.Location, $"step {step.Id}: retry.max must be 0 or more, not {step.Retry.Max}", "it is how many more attempts a failure gets");
        }

        if (step.Retry.Delay <= TimeSpan.Zero)
        {
            problems.Error(step.Location, $"step {step.Id}: retry.delay must be longer than zero", "e.g. delay = \"1s\"");
        }

        if (step.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            problems.Error(step.Location, $"step {step.Id}: timeout must be longer than zero", "leave it out for no limit");
        }
    }

    private static void CheckEmits(WorkflowStep step, string directory, ConfigProblems problems)
    {
        foreach (var artifact in step.Emits)
        {
            if (artifact.Schema is { } schema && !File.Exists(Path.GetFullPath(schema, directory)))
            {
                problems.Error(artifact.Location, $"step {step.Id}: the schema of {artifact.Path}, {schema}, does not exist", $"paths are relative to {directory}");
            }
            else if (artifact.Schema is { } present && Unusable(Path.GetFullPath(present, directory)) is { } why)
            {
                problems.Error(artifact.Location, $"step {step.Id}: the schema of {artifact.Path}, {present}, cannot be used: {why}", "fix the schema; tend checks the keywords docs/workflows.md lists");
            }
        }
    }

    /// <summary>Why a schema file cannot check an artifact (what the step would fail with later), or null.</summary>
    private static string? Unusable(string schemaFile)
    {
        try
        {
            return Schemas.SchemaValidator.Read(File.ReadAllText(schemaFile)).Problem;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static void CheckCycles(Workflow workflow, HashSet<string> ids, ConfigProblems problems)
    {
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            edges.TryAdd(step.Id, [.. WorkflowLevels.Upstream(step).Where(id => id != step.Id && ids.Contains(id))]);
        }

        if (DependencyGraph.FindCycle(edges) is { } cycle)
        {
            problems.Error(workflow.Find(cycle[0])!.Location, $"dependency cycle: {string.Join(" → ", cycle)}", "remove one of these depends_on; no step in a cycle could ever start");
        }
    }

    private static string Known(string given, IEnumerable<string> known, string what)
    {
        var list = known.ToList();
        return DidYouMean.Hint(given, list) ?? (list.Count == 0 ? $"there are no {what}" : $"{what} are: {string.Join(", ", list)}");
    }

    [GeneratedRegex(@"^\d+\.\d{3}$")]
    private static partial Regex OrchestratorId();
}
