using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend run COMP [SUB...]</c>, the executor: without SUB it lists the component's commands;
/// with SUB it runs the pre-flight, then the command: a blocking one in the foreground with the
/// terminal, any other with its output streamed, a verdict and the next steps.
/// </summary>
internal static class RunVerb
{
    public static Command Create(GlobalOptions options)
    {
        var component = new Argument<string?>("component") { Description = "The component", Arity = ArgumentArity.ZeroOrOne };
        var words = new Argument<string[]>("command") { Description = "The command's words (e.g. schema show), then any extra arguments; put -- before arguments that start with -", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force") { Description = "Run even if a pre-flight check fails" };
        var noPreflight = new Option<bool>("--no-preflight") { Description = "Skip the pre-flight checks" };
        var command = new Command("run", "Run a component's command after its pre-flight checks") { component, words, force, noPreflight };
        command.SetAction((parse, token) => RunAsync(
            new CliContext(parse, options),
            parse.GetValue(component),
            parse.GetValue(words) ?? [],
            parse.GetValue(force),
            parse.GetValue(noPreflight),
            token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string? componentName, string[] words, bool force, bool noPreflight, CancellationToken cancellationToken)
    {
        if (cli.LoadStack() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        if (componentName is null)
        {
            if (cli.Json)
            {
                CliContext.WriteJson(new RunListJson(stack.Name, [.. stack.Components.Select(Commands)]), ReportJson.Default.RunListJson);
                return ExitCodes.Ok;
            }

            ListComponents(cli, stack);
            return ExitCodes.Ok;
        }

        if (ComponentNames.FindUnknown(cli, stack, [componentName]) is { } unknown)
        {
            return unknown;
        }

        var component = stack.Find(componentName)!;
        if (words.Length == 0)
        {
            if (cli.Json)
            {
                CliContext.WriteJson(new RunListJson(stack.Name, [Commands(component)]), ReportJson.Default.RunListJson);
                return ExitCodes.Ok;
            }

            ListCommands(cli, component);
            return ExitCodes.Ok;
        }

        if (component.MatchCommand(words) is not { } match)
        {
            var names = component.Commands.Select(c => c.Name).ToList();
            var hint = DidYouMean.Hint(string.Join(' ', words), names) ?? (names.Count == 0 ? $"{component.Name} declares no commands" : $"commands: {string.Join(", ", names)}");
            return cli.UsageError($"{component.Name} has no command '{string.Join(' ', words)}'", hint);
        }

        var (sub, used) = match;
        var argv = sub.Argv.Concat(words.Skip(used)).ToList();
        var console = cli.Json ? cli.Terminal.Err : cli.Terminal.Out;

        CheckReportJson? preflightJson = null;
        if (!noPreflight && sub.Preflight != CommandPreflight.None)
        {
            var plan = CommandPreflightRun.Plan(stack, component, sub);
            if (plan.Count == 0)
            {
                return await ExecuteAsync(cli, stack, component, sub, argv, null, console, cancellationToken);
            }

            var (results, duration) = await CheckSession.RunAsync(cli, stack, plan, cancellationToken);
            preflightJson = ReportMapper.CheckReport(stack.Name, [component.Name], results, duration);
            CheckReportView.Render(console, $"Pre-flight checks for {component.Name}", results, duration);
            if (CheckSummary.Overall(results) == CheckStatus.Fail && !force)
            {
                console.MarkupLine($"[red]Not running[/] [bold]{Markup.Escape(string.Join(' ', argv))}[/]: fix the failures above, or run anyway with [bold]--force[/]");
                if (cli.Json)
                {
                    CliContext.WriteJson(new RunReportJson(stack.Name, component.Name, sub.Name, argv, sub.Blocking, preflightJson, false, null, 0, "preflight_failed", [], null, sub.Next), ReportJson.Default.RunReportJson);
                }

                return ExitCodes.Failed;
            }

            console.WriteLine();
        }

        return await ExecuteAsync(cli, stack, component, sub, argv, preflightJson, console, cancellationToken);
    }

    private static ComponentCommandsJson Commands(Component component) =>
        new(component.Name, component.KindName, component.Description, [.. component.Commands.Select(c => new CommandJson(c.Name, c.Argv, c.Description, c.Blocking, c.Next))]);

    private static async Task<int> ExecuteAsync(CliContext cli, StackFile stack, Component component, ComponentCommand sub, List<string> argv, CheckReportJson? preflight, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var shown = string.Join(' ', argv);
        console.MarkupLine($"[bold]Running:[/] {Markup.Escape(shown)} [grey](in {Markup.Escape(cli.Display(component.WorkingDirectory))})[/]");
        if (sub.Blocking)
        {
            console.MarkupLine("[grey]This command blocks the terminal: its output appears here; Ctrl+C stops it (twice more kills it).[/]");
        }

        console.WriteLine();
        var execution = new CommandExecution(cli.Time) { ReplaceEnvironment = !component.EnvInherit.All };
        var environment = ChildEnvironment.For(component, stack);
        var output = cli.Json ? Console.Error : Console.Out;
        Action<string>? onLine = sub.Blocking && !cli.Json ? null : output.WriteLine;
        var result = await execution.RunAsync(argv, component.WorkingDirectory, environment, onLine, message => cli.Terminal.Err.MarkupLine($"[grey]tend: {Markup.Escape(message)}[/]"), cancellationToken);

        Diagnosis? diagnosis = null;
        if (!result.Succeeded)
        {
            var subject = new DiagnosisSubject(
                "run",
                result.StartFailure is null ? "exit_code" : "start_failed",
                component.Name,
                string.Join('\n', result.StartFailure is null ? result.OutputTail : [result.StartFailure.Message]),
                result.ExitCode,
                new Dictionary<string, string>
                {
                    ["command"] = shown,
                    ["program"] = argv[0],
                    ["summary"] = result.StartFailure?.Message ?? $"exit {result.ExitCode}",
                });
            diagnosis = RuleBook.With(stack.DiagnoseRules).Explain(subject);
        }

        RenderVerdict(console, component, sub, result, diagnosis);
        if (cli.Json)
        {
            var verdict = result.Succeeded ? "succeeded" : result.StartFailure is not null ? "not_started" : "failed";
            CliContext.WriteJson(
                new RunReportJson(stack.Name, component.Name, sub.Name, argv, sub.Blocking, preflight, result.StartFailure is null, result.StartFailure is null ? result.ExitCode : null, Math.Round(result.Duration.TotalMilliseconds, 1), verdict, result.OutputTail, ReportMapper.Diagnosis(diagnosis), sub.Next),
                ReportJson.Default.RunReportJson);
        }

        // A blocking command hands its own exit code back, as if it had been run by hand.
        if (sub.Blocking)
        {
            return result.ExitCode;
        }

        return result.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void RenderVerdict(IAnsiConsole console, Component component, ComponentCommand sub, CommandRunResult result, Diagnosis? diagnosis)
    {
        var name = $"{component.Name} {sub.Name}";
        var took = Quantities.FormatDuration(result.Duration);
        console.WriteLine();
        if (result.Succeeded)
        {
            console.MarkupLine($"[green]✓[/] [bold]{Markup.Escape(name)}[/] succeeded [grey](exit 0 in {took})[/]");
        }
        else if (result.StartFailure is not null)
        {
            console.MarkupLine($"[red]✗[/] [bold]{Markup.Escape(name)}[/] could not start: {Markup.Escape(result.StartFailure.Message)}");
        }
        else
        {
            var how = result.Signal is { } signal ? $"killed by signal {signal} (exit {result.ExitCode})" : $"exit {result.ExitCode}";
            console.MarkupLine($"[red]✗[/] [bold]{Markup.Escape(name)}[/] failed [grey]({Markup.Escape(how)} after {took})[/]");
        }

        if (diagnosis is not null)
        {
            CheckReportView.RenderDiagnosis(console, diagnosis, "    ");
        }

        if (result.Succeeded && sub.Next.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Next steps:[/]");
            foreach (var next in sub.Next)
            {
                console.MarkupLine($"  • {Markup.Escape(next)}");
            }
        }
    }

    private static void ListComponents(CliContext cli, StackFile stack)
    {
        var console = cli.Terminal.Out;
        console.MarkupLine($"[bold]Components of {Markup.Escape(stack.Name)}:[/]");
        console.WriteLine();
        var width = stack.Components.Max(c => c.Name.Length);
        for (var i = 0; i < stack.Components.Count; i++)
        {
            var c = stack.Components[i];
            console.MarkupLine($"{i + 1,2}. {Markup.Escape(c.Name.PadRight(width))}  [grey]- {Markup.Escape(c.Description ?? c.KindName)}[/]");
        }

        console.WriteLine();
        var example = stack.Components.FirstOrDefault(c => c.Commands.Count > 0) ?? stack.Components[0];
        console.MarkupLine($"Use: [bold]tend run {Markup.Escape(ShellWords.Quote(example.Name))}[/] to see its commands");
    }

    private static void ListCommands(CliContext cli, Component component)
    {
        var console = cli.Terminal.Out;
        var title = component.Description is null ? component.Name : $"{component.Name} - {component.Description}";
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        console.WriteLine();
        if (component.Commands.Count == 0)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(component.Name)} declares no commands; add them under [[components.{Markup.Escape(component.Name)}.commands]][/]");
            return;
        }

        var width = component.Commands.Max(c => c.Name.Length);
        foreach (var command in component.Commands)
        {
            var blocking = command.Blocking ? " [grey](blocking)[/]" : "";
            console.MarkupLine($"  {Markup.Escape(command.Name.PadRight(width))}  {Markup.Escape(command.Description ?? string.Join(' ', command.Argv))}{blocking}");
        }

        console.WriteLine();
        var example = component.Commands.OrderBy(c => c.Blocking).First();
        var typed = $"tend run {ShellWords.Quote(component.Name)} {string.Join(' ', example.Name.Split(' ').Select(ShellWords.Quote))}";
        console.MarkupLine($"Use: [bold]{Markup.Escape(typed)}[/] (or another command of the list)");
    }
}
