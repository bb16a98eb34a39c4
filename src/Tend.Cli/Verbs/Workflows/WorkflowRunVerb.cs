using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Cli.Verbs.Workflows;

/// <summary><c>tend workflow run NAME|FILE</c> and <c>tend workflow resume RUN</c>: a run in the foreground, its steps' changes live, then the table and what to type next.</summary>
internal static class WorkflowRunVerb
{
    public static Command CreateRun(GlobalOptions options)
    {
        var target = new Argument<string>("workflow") { Description = "A [workflows.NAME] of the stack file, or a workflow YAML file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (levels, commands, conditions, what hangs on each step) and run nothing" };
        var inputs = new Option<string[]>("--input") { Description = "An input as key=value (repeatable); overrides the workflow's default", AllowMultipleArgumentsPerToken = false };
        var files = new Option<string?>("--files") { Description = "Sets the input files (a glob such as \"**/*.py\", relative to the workflow's directory)" };
        var command = new Command("run", "Run a workflow in the foreground") { target, dryRun, inputs, files };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(target)!, parse.GetValue(dryRun), parse.GetValue(inputs) ?? [], parse.GetValue(files), token));
        return command;
    }

    public static Command CreateResume(GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "The run's id, or a unique prefix of it" };
        var command = new Command("resume", "Run again the steps of a run that did not succeed (succeeded and skipped steps are kept)") { run };
        command.SetAction((parse, token) => ResumeAsync(new CliContext(parse, options), parse.GetValue(run)!, token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string target, bool dryRun, string[] inputs, string? files, CancellationToken cancellationToken)
    {
        var stack = WorkflowPlaces.QuietStack(cli);
        var load = WorkflowLoader.Load(target, stack);
        if (!load.Succeeded)
        {
            return cli.Fail("config", $"workflow {target} cannot be run", load.Problems, "tend workflow verify " + target + " lists every problem");
        }

        var workflow = load.Workflow!;
        var values = new Dictionary<string, string>(workflow.Inputs, StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var equals = input.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return cli.UsageError($"--input {input}: expected key=value", "e.g. --input level=strict");
            }

            values[input[..equals]] = input[(equals + 1)..];
        }

        if (files is not null)
        {
            values["files"] = files;
        }

        if (dryRun)
        {
            WorkflowPlanView.Render(cli.Terminal.Out, workflow, values);
            return ExitCodes.Ok;
        }

        var store = new RunStore(WorkflowPlaces.StateDirectory(workflow, load.Stack));
        var directory = store.Create(workflow.Name, cli.Time.GetUtcNow());
        return await ExecuteAsync(cli, workflow, load.Stack, values, directory, null, cancellationToken);
    }

    private static async Task<int> ResumeAsync(CliContext cli, string runId, CancellationToken cancellationToken)
    {
        var lookup = WorkflowPlaces.Store(cli).Find(runId);
        if (lookup.Found is not { } directory || RunStore.Read(directory) is not { } record)
        {
            return cli.UsageError(lookup.Problem ?? $"{runId}: run.json cannot be read", lookup.Candidates.Count > 0 ? $"runs: {string.Join(", ", lookup.Candidates)}" : "tend workflow ls lists the runs");
        }

        if (record.Outcome == RunOutcome.Running)
        {
            return cli.UsageError($"run {record.Run} is still running (pid {record.RunnerPid})", $"tend workflow show {record.Run}");
        }

        if (record.Outcome == RunOutcome.Succeeded)
        {
            cli.Terminal.Out.MarkupLine($"Run {Markup.Escape(record.Run)} succeeded already: nothing to resume.");
            return ExitCodes.Ok;
        }

        var stack = WorkflowPlaces.QuietStack(cli);
        var yaml = record.Source.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || record.Source.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        var load = WorkflowLoader.Load(yaml ? record.Source : record.Workflow, stack);
        if (!load.Succeeded)
        {
            return cli.Fail("config", $"workflow {record.Workflow} cannot be read again to resume run {record.Run}", load.Problems, $"tend workflow verify {(yaml ? record.Source : record.Workflow)}");
        }

        return await ExecuteAsync(cli, load.Workflow!, load.Stack, record.Inputs, directory, record, cancellationToken);
    }

    private static async Task<int> ExecuteAsync(CliContext cli, Workflow workflow, StackFile? stack, IReadOnlyDictionary<string, string> inputs, RunDirectory directory, RunRecord? resume, CancellationToken cancellationToken)
    {
        var console = cli.Terminal.Out;
        console.MarkupLine($"[bold]{(resume is null ? "Running" : "Resuming")} workflow {Markup.Escape(workflow.Name)}[/] [grey](run {Markup.Escape(directory.Id)}, {workflow.Steps.Count} steps)[/]");
        using var events = WorkflowPlaces.Events(WorkflowPlaces.StateDirectory(workflow, stack), cli.Time);
        var gate = new Lock();
        var request = new WorkflowRunRequest(workflow, stack, inputs, directory)
        {
            Resume = resume,
            Events = events,
            Progress = t =>
            {
                lock (gate)
                {
                    console.MarkupLine(WorkflowRunView.Transition(t));
                }
            },
        };
        var record = await new WorkflowRunner(new ProcessStepLauncher(cli.Time), cli.Time).RunAsync(request, cancellationToken);
        console.WriteLine();
        WorkflowRunView.RenderTable(console, record);
        WorkflowRunView.RenderNext(console, record);
        return record.Outcome == RunOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
