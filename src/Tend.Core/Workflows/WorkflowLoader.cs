using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Workflows;

/// <summary>A workflow as loaded, with the stack it belongs to, or the problems that keep it from loading.</summary>
/// <param name="Stack">The stack file the workflow runs in (its components, actors and state directory); null when none was found.</param>
public sealed record WorkflowLoad(Workflow? Workflow, StackFile? Stack, IReadOnlyList<ConfigProblem> Problems)
{
    public bool Succeeded => Workflow is not null && !Problems.Any(p => p.IsError);
}

/// <summary>
/// Finds and reads a workflow: a NAME is a <c>[workflows.NAME]</c> table of the stack file; a path
/// (ending in .yaml, .yml) is a file of the orchestrator's YAML format, read beside the stack file
/// whose <c>[actors]</c> its steps name. The problems include <see cref="WorkflowVerifier"/>'s, so a
/// load that succeeded is one that may run.
/// </summary>
public static class WorkflowLoader
{
    /// <param name="nameOrPath">What the user typed.</param>
    /// <param name="stack">The stack file found as every verb finds it (<c>-f</c>, or upwards from the current directory); null when there is none.</param>
    public static WorkflowLoad Load(string nameOrPath, StackFile? stack)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var read = IsFile(nameOrPath) ? ReadYaml(nameOrPath, stack) : Find(nameOrPath, stack);
        if (read.Workflow is not { } workflow)
        {
            return read;
        }

        return read with { Problems = [.. read.Problems, .. WorkflowVerifier.Verify(workflow, stack)] };
    }

    public static bool IsFile(string nameOrPath) =>
        nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static WorkflowLoad Find(string name, StackFile? stack)
    {
        var here = new SourceLocation(name, 0, 0);
        if (stack is null)
        {
            return Fail(here, null, $"no stack file to find workflow '{name}' in", "a NAME is a [workflows.NAME] table of tend.toml; give a .yaml file's path to read one of the YAML format");
        }

        if (stack.FindWorkflow(name) is { } workflow)
        {
            return new WorkflowLoad(workflow, stack, []);
        }

        var names = stack.Workflows.Select(w => w.Name).ToList();
        return Fail(new SourceLocation(stack.Path, 0, 0), stack, $"the stack file has no workflow '{name}'",
            DidYouMean.Hint(name, names) ?? (names.Count == 0 ? "it has no [workflows.NAME] table; a .yaml file's path reads one of the YAML format" : $"its workflows are: {string.Join(", ", names)}"));
    }

    private static WorkflowLoad ReadYaml(string path, StackFile? stack)
    {
        var here = new SourceLocation(path, 0, 0);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(here, stack, "workflow file not found", "check the path; it is relative to the current directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(here, stack, $"cannot read the workflow file: {e.Message}");
        }

        var problems = new ConfigProblems();
        if (YamlTree.Parse(text, path, problems) is not { } root)
        {
            return new WorkflowLoad(null, stack, problems.Sorted());
        }

        // Steps run, and their paths resolve, where the stack's do; without a stack, where tend was started.
        var directory = stack?.Directory ?? Environment.CurrentDirectory;
        var reader = new TableReader(root, "", new ReadContext(problems, Interpolation.None, directory));
        var workflow = WorkflowReader.Read(Path.GetFileNameWithoutExtension(path), reader, WorkflowFormat.Yaml, path, directory);
        if (workflow is not null)
        {
            workflow = WorkflowActors.Resolve(workflow, stack?.Actors ?? []);
        }

        return new WorkflowLoad(problems.HasErrors ? null : workflow, stack, problems.Sorted());
    }

    private static WorkflowLoad Fail(SourceLocation location, StackFile? stack, string message, string? hint = null) =>
        new(null, stack, [new ConfigProblem(ProblemSeverity.Error, location, message, hint)]);
}
