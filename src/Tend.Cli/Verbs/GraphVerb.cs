using System.CommandLine;
using Spectre.Console;
using Tend.Core.Status;
using Tend.Core.Model;

namespace Tend.Cli.Verbs;

/// <summary><c>tend graph</c>: what requires what, as a tree, and the start order by levels.</summary>
internal static class GraphVerb
{
    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Only these components and what they require", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("graph", "Show the dependency tree and the start order") { components };
        command.SetAction(parse => Run(new CliContext(parse, options), parse.GetValue(components) ?? []));
        return command;
    }

    private static int Run(CliContext cli, string[] names)
    {
        if (!cli.TryLoadStack(names, out var stack, out var exitCode))
        {
            return exitCode;
        }

        var graph = new DependencyGraph(stack.Components);
        var subset = names.Length == 0 ? stack.Components : graph.Closure(names);
        var levels = graph.Levels(subset);
        if (cli.Json)
        {
            var edges = subset.SelectMany(c => c.Requires.Select(r => new EdgeJson(c.Name, r.Component, r.ConditionName))).ToList();
            CliContext.WriteJson(new GraphReportJson(stack.Name, [.. levels.Select(l => (IReadOnlyList<string>)[.. l.Select(c => c.Name)])], [.. levels.SelectMany(l => l).Select(c => c.Name)], edges), ReportJson.Default.GraphReportJson);
            return ExitCodes.Ok;
        }

        var console = cli.Terminal.Out;
        var roots = names.Length > 0
            ? subset.Where(c => names.Contains(c.Name)).ToList()
            : subset.Where(c => graph.Dependents(c.Name).Count == 0).ToList();
        var tree = new Tree($"[bold]{Markup.Escape(stack.Name)}[/]") { Guide = TreeGuide.Line };
        foreach (var root in roots)
        {
            AddNode(tree.AddNode(Label(root, null)), root, stack, []);
        }

        console.Write(tree);
        console.WriteLine();
        console.MarkupLine("[bold]Start order[/] [grey](each level starts in parallel once the one before is ready)[/]");
        for (var i = 0; i < levels.Count; i++)
        {
            console.MarkupLine($"  {i + 1}. {Markup.Escape(string.Join(", ", levels[i].Select(c => c.Name)))}");
        }

        return ExitCodes.Ok;
    }

    private static void AddNode(TreeNode node, Component component, StackFile stack, HashSet<string> path)
    {
        path.Add(component.Name);
        foreach (var requirement in component.Requires)
        {
            if (stack.Find(requirement.Component) is { } required && !path.Contains(required.Name))
            {
                AddNode(node.AddNode(Label(required, requirement)), required, stack, path);
            }
        }

        path.Remove(component.Name);
    }

    private static string Label(Component component, Requirement? requirement)
    {
        var condition = requirement is null ? "" : $" [grey]({requirement.ConditionName})[/]";
        return $"{Markup.Escape(component.Name)} [grey]{component.KindName}[/]{condition}";
    }
}
