using System.CommandLine;
using Spectre.Console;
using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Workflows;

namespace Tend.Cli.Verbs.Workflows;

/// <summary><c>tend workflow ...</c>: workflows of the stack file or of the orchestrator's YAML format (docs/workflows.md).</summary>
internal static class WorkflowVerbs
{
    public static Command Create(GlobalOptions options) => Group(
        Verify(options),
        WorkflowRunVerb.CreateRun(options),
        WorkflowRunVerb.CreateResume(options),
        WorkflowStopVerb.Create(options),
        WorkflowRecordVerbs.CreateLs(options),
        WorkflowRecordVerbs.CreateShow(options),
        WorkflowRecordVerbs.CreateLogs(options),
        WorkflowRecordVerbs.CreateApprove(options),
        WorkflowRecordVerbs.CreateReject(options),
        WorkflowWhyVerb.Create(options),
        WorkflowStatsVerb.Create(options));

    /// <summary>The <c>workflow</c> group: each subcommand is added here, and only here.</summary>
    public static Command Group(params Command[] subcommands)
    {
        var group = new Command("workflow", "Verify and run workflows (DAGs of steps in [workflows.NAME] of the stack file, or a .yaml file of the orchestrator's format) and read their runs");
        foreach (var subcommand in subcommands)
        {
            group.Subcommands.Add(subcommand);
        }

        return group;
    }

    /// <summary><c>tend workflow verify FILE|NAME [--schema SCHEMA]</c>: every problem at its file:line:col, exit 2; or the levels it would run in.</summary>
    public static Command Verify(GlobalOptions options)
    {
        var workflow = new Argument<string>("workflow") { Description = "A workflow of the stack file ([workflows.NAME]) or the path of a .yaml/.yml workflow file" };
        var schema = new Option<string?>("--schema") { Description = "Also validate the YAML file against this JSON Schema (docs/workflow.schema.json is tend's)" };
        var command = new Command("verify", "Check a workflow: references, cycles, conditions, actors, step ids; exit 2 on any problem") { workflow, schema };
        command.SetAction(parse => RunVerify(new CliContext(parse, options), parse.GetValue(workflow)!, parse.GetValue(schema)));
        return command;
    }

    private static int RunVerify(CliContext cli, string nameOrPath, string? schema)
    {
        if (schema is not null && !WorkflowLoader.IsFile(nameOrPath))
        {
            return cli.UsageError($"--schema checks a workflow file of the YAML format, and '{nameOrPath}' is the name of a [workflows.{nameOrPath}] table", $"tend workflow verify {nameOrPath} checks it without a schema");
        }

        if (!TryLoadStack(cli, out var stack))
        {
            return ExitCodes.Usage;
        }

        var load = WorkflowLoader.Load(nameOrPath, stack);
        var problems = load.Problems.ToList();
        if (schema is not null && File.Exists(nameOrPath))
        {
            problems.AddRange(WorkflowSchema.Check(nameOrPath, schema));
        }

        if (!load.Succeeded || problems.Any(p => p.IsError))
        {
            var errors = problems.Count(p => p.IsError);
            return cli.Fail("config", $"{nameOrPath} has {errors} error{(errors == 1 ? "" : "s")}", problems, null);
        }

        foreach (var warning in problems)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(warning.ToString())}");
        }

        var verified = load.Workflow!;
        var levels = WorkflowLevels.Of(verified);
        cli.Terminal.Out.MarkupLine($"[green]ok:[/] {Markup.Escape(verified.Name)} — {Plural(verified.Steps.Count, "step")} in {Plural(levels.Count, "level")}");
        for (var i = 0; i < levels.Count; i++)
        {
            cli.Terminal.Out.MarkupLine($"  {i + 1}. {Markup.Escape(string.Join(", ", levels[i].Select(s => s.Title)))}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The stack beside the workflow, when there is one. A NAME needs it; a YAML file reads its
    /// [actors] from it but also stands alone. A stack file that does not load is reported as such.
    /// </summary>
    private static bool TryLoadStack(CliContext cli, out StackFile? stack)
    {
        stack = null;
        var path = StackFileLocator.Find(cli.FileOption, cli.WorkingDirectory);
        if (path is null && cli.FileOption is null)
        {
            return true;
        }

        stack = cli.LoadStack();
        return stack is not null;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
