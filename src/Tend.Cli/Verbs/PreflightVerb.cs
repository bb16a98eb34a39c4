using System.CommandLine;
using Spectre.Console;
using Tend.Core.Status;
using Tend.Cli.Output;
using Tend.Core.Checks;
using Tend.Core.Model;

namespace Tend.Cli.Verbs;

/// <summary><c>tend preflight [COMP...]</c>: every check the components and what they require need, with diagnoses.</summary>
internal static class PreflightVerb
{
    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Components to check (default: all), with what they require", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("preflight", "Run pre-flight checks and explain every failure") { components };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(components) ?? [], token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] names, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStack(names, out var stack, out var exitCode))
        {
            return exitCode;
        }

        var plan = CheckPlanner.Preflight(stack, names);
        var (results, duration) = await CheckSession.RunAsync(cli, stack, plan, cancellationToken);
        var overall = CheckSummary.Overall(results);
        if (cli.Json)
        {
            CliContext.WriteJson(ReportMapper.CheckReport(stack.Name, names, results, duration), ReportJson.Default.CheckReportJson);
        }
        else
        {
            var scope = names.Length == 0 ? stack.Name : string.Join(", ", names);
            CheckReportView.Render(cli.Terminal.Out, $"Pre-flight checks for {scope}", results, duration);
            var again = names.Length == 0 ? "tend preflight" : $"tend preflight {string.Join(' ', names)}";
            if (overall != CheckStatus.Pass)
            {
                cli.Terminal.Out.MarkupLine($"[grey]Next:[/] follow the numbered actions above, then run [bold]{Markup.Escape(again)}[/] again");
            }
        }

        return overall == CheckStatus.Fail ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
