using System.CommandLine;
using Spectre.Console;
using Tend.Core.Status;
using Tend.Core.Config;

namespace Tend.Cli.Verbs;

/// <summary><c>tend validate</c>: load the stack file and report every problem with its place.</summary>
internal static class ValidateVerb
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("validate", "Check the stack file: syntax, types, unknown keys, references and cycles");
        command.SetAction(parse => Run(new CliContext(parse, options)));
        return command;
    }

    private static int Run(CliContext cli)
    {
        var path = StackFileLocator.Find(cli.FileOption, cli.WorkingDirectory);
        if (path is null)
        {
            return cli.LoadStack() is null ? ExitCodes.Usage : ExitCodes.Ok;
        }

        var result = StackFileLoader.Load(path, displayPath: cli.Display(path));
        if (cli.Json)
        {
            var report = new ValidateReportJson(
                result.Stack?.Name ?? "",
                cli.Display(path),
                result.Succeeded,
                result.Stack?.Components.Count ?? 0,
                [.. result.Problems.Select(ReportMapper.Problem)]);
            CliContext.WriteJson(report, ReportJson.Default.ValidateReportJson);
            return result.Succeeded ? ExitCodes.Ok : ExitCodes.Usage;
        }

        if (!result.Succeeded)
        {
            var errors = result.Errors.Count();
            return cli.Fail("config", $"{cli.Display(path)} has {errors} error{(errors == 1 ? "" : "s")}", result.Problems, null);
        }

        foreach (var warning in result.Warnings)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(warning.ToString())}");
        }

        var stack = result.Stack!;
        var checks = stack.Components.Sum(c => c.Preflight.Count + (c.Health is null ? 0 : 1) + (c.Config is null ? 0 : 1));
        cli.Terminal.Out.MarkupLine($"[green]✓[/] {Markup.Escape(cli.Display(path))} is valid: stack [bold]{Markup.Escape(stack.Name)}[/], {Plural(stack.Components.Count, "component")}, {Plural(checks, "check")}, {Plural(stack.DiagnoseRules.Count, "diagnosis rule")}");
        return ExitCodes.Ok;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
