using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Text;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>
/// <c>tend workflow why RUN|WORKFLOW [STEP]</c>, and <c>tend why</c> for a name that is not a
/// component: why a step ended as it did (its end from run.json, its log read by the knowledge
/// base, an omission's chain down to its root), or every failed step of a run, or of a
/// workflow's latest run.
/// </summary>
internal static class WorkflowWhyVerb
{
    public static Command Create(GlobalOptions options)
    {
        var target = new Argument<string>("run") { Description = "A run's id (or a unique prefix of it), or a workflow's name for its latest run" };
        var step = new Argument<string?>("step") { Description = "The step to explain (default: every failed step of the run)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("why", "Explain why a run's steps failed or were omitted: their ends, logs, diagnoses and next steps") { target, step };
        command.SetAction(parse => Run(new CliContext(parse, options), parse.GetValue(target)!, parse.GetValue(step)));
        return command;
    }

    /// <summary>The run a name means: a workflow's latest run, or a run's id or prefix; null when it means neither.</summary>
    public static RunDirectory? Resolve(RunStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!name.Contains('/', StringComparison.Ordinal) && !name.Contains('\\', StringComparison.Ordinal) && name is not ("." or "..") && store.List(name) is { Count: > 0 } runs)
        {
            return runs[0];
        }

        return store.Find(name).Found;
    }

    /// <summary>Whether <paramref name="name"/> is a workflow of the stack or names a recorded run: <c>tend why</c> asks before it calls it unknown.</summary>
    public static bool Knows(StackFile? stack, RunStore store, string name) =>
        stack?.FindWorkflow(name) is not null || Resolve(store, name) is not null;

    public static int Run(CliContext cli, string name, string? stepId)
    {
        var stack = WorkflowPlaces.QuietStack(cli);
        var store = WorkflowPlaces.Store(cli);
        if (Resolve(store, name) is not { } directory)
        {
            if (stack?.FindWorkflow(name) is { } never)
            {
                // Under --json the same shape as any run's: no step to explain is an empty list.
                if (cli.Json)
                {
                    CliContext.WriteJson<IReadOnlyList<StepExplanation>>([], StepExplanationJson.Default.IReadOnlyListStepExplanation);
                    return ExitCodes.Ok;
                }

                cli.Terminal.Out.MarkupLine($"Workflow [bold]{Markup.Escape(never.Name)}[/] has not run here yet: nothing to explain.");
                cli.Terminal.Out.MarkupLine($"[grey]Next:[/] tend workflow run {Markup.Escape(never.Name)}");
                return ExitCodes.Ok;
            }

            var lookup = store.Find(name);
            return cli.UsageError(lookup.Problem!, lookup.Candidates.Count > 0 ? $"runs: {string.Join(", ", lookup.Candidates)}" : "tend workflow ls lists the runs");
        }

        if (RunStore.Read(directory) is not { } record)
        {
            return cli.Failure($"{directory.RunFile} cannot be read", "it may be being written; try again");
        }

        if (stepId is not null && record.Find(stepId) is null)
        {
            return cli.UsageError($"run {record.Run} has no step '{stepId}'", DidYouMean.Hint(stepId, record.Steps.Select(s => s.Id)) ?? $"steps: {string.Join(", ", record.Steps.Select(s => s.Id))}");
        }

        var workflow = LoadQuietly(record, stack);
        var steps = stepId is not null ? [record.Find(stepId)!] : StepWhy.Explainable(record);
        var explanations = steps.Select(s => StepWhy.Explain(record, directory, s.Id, workflow, stack)).ToList();
        // The log is the step's own words: the stack's secrets and what looks like one are masked before they are shown.
        var secrets = stack is null ? null : StackSecrets.Of(stack, Environment.GetEnvironmentVariable);
        explanations = [.. explanations.Select(e => e with { LogLines = secrets is null ? Redactor.RedactLines(e.LogLines) : Redactor.RedactLines(e.LogLines, secrets) })];
        if (cli.Json)
        {
            CliContext.WriteJson<IReadOnlyList<StepExplanation>>(explanations, StepExplanationJson.Default.IReadOnlyListStepExplanation);
            return ExitCodes.Ok;
        }

        var console = cli.Terminal.Out;
        if (stepId is null)
        {
            WorkflowRunView.RenderTable(console, record);
            if (explanations.Count == 0)
            {
                console.MarkupLine("No step failed: nothing to explain.");
                WorkflowRunView.RenderNext(console, record);
                return ExitCodes.Ok;
            }
        }

        foreach (var explanation in explanations)
        {
            console.WriteLine();
            Render(console, explanation);
        }

        return ExitCodes.Ok;
    }

    private static void Render(IAnsiConsole console, StepExplanation e)
    {
        var tries = e.Attempts > 1 ? $" after {e.Attempts} attempts" : "";
        console.MarkupLine($"Step [bold]{Markup.Escape(e.Step)}[/] of run {Markup.Escape(e.Run)} ({Markup.Escape(e.Workflow)}) [{Color(e.State)}]{Markup.Escape(Said(e.State))}[/]{tries}{(e.Reason is null ? "" : $": {Markup.Escape(e.Reason)}")}");
        if (e.Ending is { } ending && ending != e.Reason)
        {
            console.MarkupLine($"  [grey]its process ended with:[/] {Markup.Escape(ending)}");
        }

        if (e.Chain.Count > 0)
        {
            console.MarkupLine("  [grey]because (each step it waited for, down to the root):[/]");
            foreach (var link in e.Chain)
            {
                console.MarkupLine($"    ← {Markup.Escape(link.Step)} [{Color(link.State)}]{Markup.Escape(Said(link.State))}[/]{(link.Reason is null ? "" : $": {Markup.Escape(link.Reason)}")}");
            }
        }
        else if (e.State == StepState.Omitted)
        {
            console.MarkupLine("  [grey]the run stopped before it could start[/]");
        }

        if (e.LogLines.Count > 0)
        {
            console.MarkupLine("  [grey]end of its log (last attempt):[/]");
            foreach (var line in e.LogLines)
            {
                console.MarkupLine($"    {Markup.Escape(line)}");
            }
        }

        if (e.Diagnosis is { } diagnosis)
        {
            CheckReportView.RenderDiagnosis(console, diagnosis, "  ");
        }

        if (e.Next.Count > 0)
        {
            console.MarkupLine("  [grey]next:[/]");
            foreach (var next in e.Next)
            {
                console.MarkupLine($"    {Markup.Escape(next)}");
            }
        }
    }

    /// <summary>The run's workflow as it reads now, for its depends_on and commands; null when it no longer loads.</summary>
    private static Workflow? LoadQuietly(RunRecord record, StackFile? stack)
    {
        var source = WorkflowLoader.IsFile(record.Source) ? record.Source : record.Workflow;
        try
        {
            return WorkflowLoader.Load(source, stack).Workflow;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Said(StepState state) => state switch
    {
        StepState.Paused => "paused for review",
        _ => state.Name(),
    };

    private static string Color(StepState state) => state switch
    {
        StepState.Succeeded => "green",
        StepState.Failed => "red",
        StepState.Paused => "yellow",
        _ => "grey",
    };
}
