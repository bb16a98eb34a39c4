using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary><c>tend ls</c>: the components of the stack, what they are, and the commands each offers.</summary>
internal static class LsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("ls", "List the components, their kinds, descriptions and commands");
        command.SetAction(parse => Run(new CliContext(parse, options)));
        return command;
    }

    private static int Run(CliContext cli)
    {
        if (cli.LoadStack() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        if (cli.Json)
        {
            CliContext.WriteJson(new LsReportJson(stack.Name, cli.Display(stack.Path), [.. stack.Components.Select(c => ToJson(c, cli))]), ReportJson.Default.LsReportJson);
            return ExitCodes.Ok;
        }

        var console = cli.Terminal.Out;
        console.MarkupLine($"[bold]{Markup.Escape(stack.Name)}[/] [grey]({Markup.Escape(cli.Display(stack.Path))})[/]");
        console.WriteLine();
        var nameWidth = stack.Components.Count == 0 ? 0 : stack.Components.Max(c => c.Name.Length);
        for (var i = 0; i < stack.Components.Count; i++)
        {
            var component = stack.Components[i];
            var number = $"{i + 1}.".PadRight($"{stack.Components.Count}.".Length + 1);
            // Continuation lines start under the name, however wide the numbers are.
            var under = new string(' ', number.Length + nameWidth);
            var description = component.Description is null ? "" : $" - {Markup.Escape(component.Description)}";
            console.MarkupLine($"{number}[bold]{Markup.Escape(component.Name.PadRight(nameWidth))}[/]  [grey]{component.KindName,-8}[/]{description}");
            if (component.Requires.Count > 0)
            {
                var requires = string.Join(", ", component.Requires.Select(r => $"{r.Component} ({r.ConditionName})"));
                console.MarkupLine($"{under}  [grey]requires[/] {Markup.Escape(requires)}");
            }

            foreach (var sub in component.Commands)
            {
                var text = sub.Description is null ? string.Join(' ', sub.Argv) : sub.Description;
                var blocking = sub.Blocking ? " [grey](blocking)[/]" : "";
                console.MarkupLine($"{under}  • {Markup.Escape(sub.Name)}{blocking} [grey]- {Markup.Escape(text)}[/]");
            }
        }

        foreach (var workflow in stack.Workflows)
        {
            var description = workflow.Description is null ? "" : $" - {Markup.Escape(workflow.Description)}";
            console.MarkupLine($"[bold]{Markup.Escape(workflow.Name)}[/]  [grey]workflow, {workflow.Steps.Count} steps[/]{description}");
        }

        console.WriteLine();
        // The next steps name this stack's own components, so they work as typed.
        // A command that ends on its own first: a blocking one (a server) would not return.
        var example = stack.Components.SelectMany(c => c.Commands.Select(sub => (Component: c, Command: sub))).OrderBy(x => x.Command.Blocking).FirstOrDefault();
        if (example.Component is { } withCommands)
        {
            var command = $"tend run {ShellWords.Quote(withCommands.Name)} {string.Join(' ', example.Command.Name.Split(' ').Select(ShellWords.Quote))}";
            console.MarkupLine($"[grey]Run a command:[/] {Markup.Escape(command)}   [grey]Check first:[/] tend preflight {Markup.Escape(ShellWords.Quote(withCommands.Name))}");
        }
        else if (stack.Components.FirstOrDefault(c => c.Kind != ComponentKind.External) is { } runnable)
        {
            console.MarkupLine($"[grey]Check before a start:[/] tend preflight {Markup.Escape(ShellWords.Quote(runnable.Name))}");
        }

        if (stack.Workflows.Count > 0)
        {
            console.MarkupLine($"[grey]Run a workflow:[/] tend workflow run {Markup.Escape(stack.Workflows[0].Name)}   [grey]Its plan first:[/] tend workflow run {Markup.Escape(stack.Workflows[0].Name)} --dry-run");
        }

        return ExitCodes.Ok;
    }

    private static ComponentJson ToJson(Component component, CliContext cli) => new(
        component.Name,
        component.KindName,
        component.Description,
        component.Command,
        cli.Display(component.WorkingDirectory),
        [.. component.Requires.Select(r => new RequirementJson(r.Component, r.ConditionName))],
        component.Health?.Check.Title,
        component.Config?.Path,
        component.Preflight.Count,
        [.. component.Commands.Select(c => new CommandJson(c.Name, c.Argv, c.Description, c.Blocking, c.Next))]);
}
