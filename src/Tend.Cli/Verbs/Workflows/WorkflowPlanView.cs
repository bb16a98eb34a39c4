using Spectre.Console;
using Tend.Core.Text;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Running;

namespace Tend.Cli.Verbs.Workflows;

/// <summary><c>--dry-run</c>: the levels, each step's command and condition, and what would be omitted without it.</summary>
internal static class WorkflowPlanView
{
    public static void Render(IAnsiConsole console, Workflow workflow, IReadOnlyDictionary<string, string> inputs)
    {
        console.MarkupLine($"[bold]Plan of workflow {Markup.Escape(workflow.Name)}[/] [grey](nothing is run; at most {workflow.Policy.Parallel} steps at once)[/]");
        foreach (var level in WorkflowPlan.Of(workflow).GroupBy(p => p.Level))
        {
            console.WriteLine();
            console.MarkupLine($"[bold]Level {level.Key + 1}[/] [grey](these can run together)[/]");
            foreach (var planned in level)
            {
                var step = planned.Step;
                console.MarkupLine($"  [bold]{Markup.Escape(step.Title)}[/]: {Markup.Escape(Command(step, inputs))}");
                if (step.When is { } when)
                {
                    console.MarkupLine($"      when {Markup.Escape(when)}");
                }

                if (planned.OmittedWithout.Count > 0)
                {
                    console.MarkupLine($"      [grey]if skipped or failed, omits: {Markup.Escape(string.Join(", ", planned.OmittedWithout))}[/]");
                }
            }
        }
    }

    /// <summary>The same plan for `--json`.</summary>
    public static WorkflowPlanJson Json(Workflow workflow, IReadOnlyDictionary<string, string> inputs) =>
        new(workflow.Name, workflow.Policy.Parallel, [.. WorkflowPlan.Of(workflow).Select(p => new PlannedStepJson(
            p.Step.Id,
            p.Step.Name,
            p.Level + 1,
            Command(p.Step, inputs),
            p.Step.When,
            [.. p.Step.DependsOn.Select(d => new DependencyJson(d.StepId, d.Condition == DependencyCondition.Any ? "any" : "succeeded"))],
            p.OmittedWithout))]);

    private static string Command(WorkflowStep step, IReadOnlyDictionary<string, string> inputs)
    {
        var values = StepCommand.Values(step, inputs);
        var run = step.Run is StepRun.Actor actor ? actor.Resolved ?? step.Run : step.Run;
        return run switch
        {
            StepRun.Command command => string.Join(' ', command.Argv.Select(a => ShellWords.Quote(StepCommand.Fill(a, values)))),
            StepRun.ComponentCommand named => $"tend run {named.Component} {named.CommandName}",
            StepRun.Actor unresolved => $"actor {unresolved.Name} (unresolved)",
            _ => "?",
        };
    }
}
