using System.Globalization;
using Spectre.Console;
using Tend.Core.Text;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>How a run reads on a terminal: each transition as it happens, the step table, and what to type next.</summary>
internal static class WorkflowRunView
{
    public static string Transition(StepTransition t)
    {
        var id = Markup.Escape(t.StepId);
        var reason = t.Reason is null ? "" : $": {Markup.Escape(t.Reason)}";
        if (t.RetryIn is { } delay)
        {
            return $"  [yellow]↻[/] {id} attempt {t.Attempt} failed{reason}; retrying in {Quantities.FormatDuration(delay)}";
        }

        return t.State switch
        {
            StepState.Running => $"  [blue]▶[/] {id} started{(t.Attempt > 1 ? $" (attempt {t.Attempt})" : "")}",
            StepState.Succeeded => $"  [green]✓[/] {id} succeeded{reason}",
            StepState.Failed => $"  [red]✗[/] {id} failed{reason}",
            StepState.Skipped => $"  [grey]-[/] {id} skipped{reason}",
            StepState.Omitted => $"  [grey]○[/] {id} omitted{reason}",
            StepState.Paused => $"  [yellow]⏸[/] {id} paused for review{reason}",
            _ => $"  {id} {t.State.Name()}",
        };
    }

    /// <summary>A run's end as a verb prints it: the table and what to type next, or with --json its record as `tend workflow show --json` gives it.</summary>
    public static void RenderEnd(CliContext cli, RunRecord record, string? note = null)
    {
        if (cli.Json)
        {
            CliContext.WriteJson(record, RunRecordJson.Default.RunRecord);
            return;
        }

        var console = cli.Terminal.Out;
        console.WriteLine();
        RenderTable(console, record);
        if (note is not null)
        {
            console.MarkupLine(note);
        }

        RenderNext(console, record);
    }

    /// <summary>One pass of a resumed run in words: "failed at 12:00:30 after 30s (step b failed: exit 1)".</summary>
    public static string Pass(RunPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var when = pass.Ended is { } ended
            ? $" at {ended.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} after {Quantities.FormatDuration(ended - pass.Started)}"
            : $" since {pass.Started.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}";
        return $"{pass.Outcome.Name()}{when}{(pass.Reason is null ? "" : $" ({pass.Reason})")}";
    }

    public static void RenderTable(IAnsiConsole console, RunRecord record)
    {
        var table = new Table().AddColumns("step", "state", "attempts", "duration", "tokens", "reason");
        foreach (var step in record.Steps)
        {
            var took = step.Started is { } s && step.Ended is { } e ? Quantities.FormatDuration(e - s) : "";
            table.AddRow(
                Markup.Escape(step.Id),
                Colored(step.State),
                step.Attempts.Count.ToString(CultureInfo.InvariantCulture),
                took,
                step.Tokens == 0 ? "" : StepUsage.FormatTokens(step.Tokens),
                Markup.Escape(step.Reason ?? ""));
        }

        console.Write(table);
        var outcome = record.Outcome switch
        {
            RunOutcome.Succeeded => "[green]succeeded[/]",
            RunOutcome.Running => "[blue]running[/]",
            _ => $"[red]{record.Outcome.Name()}[/]",
        };
        var took2 = record.Ended is { } ended ? $" in {Quantities.FormatDuration(ended - record.Started)}" : "";
        console.MarkupLine($"Run [bold]{Markup.Escape(record.Run)}[/] of {Markup.Escape(record.Workflow)} {outcome}{took2}{(record.Tokens > 0 ? $", {StepUsage.FormatTokens(record.Tokens)} tokens" : "")}{(record.Reason is null ? "" : $": {Markup.Escape(record.Reason)}")}");
    }

    public static void RenderNext(IAnsiConsole console, RunRecord record)
    {
        console.WriteLine();
        console.MarkupLine("[bold]Next:[/]");
        console.MarkupLine($"  tend workflow show {Markup.Escape(record.Run)}");
        if (record.Steps.FirstOrDefault(s => s.State is StepState.Failed) is { } failed)
        {
            console.MarkupLine($"  tend workflow logs {Markup.Escape(record.Run)} {Markup.Escape(failed.Id)}");
        }

        if (record.Steps.FirstOrDefault(s => s.State is StepState.Paused) is { } paused && record.Outcome == RunOutcome.Running)
        {
            console.MarkupLine($"  tend workflow approve {Markup.Escape(record.Run)} {Markup.Escape(paused.Id)}");
        }

        if (record.Outcome is RunOutcome.Failed or RunOutcome.Stopped or RunOutcome.Interrupted)
        {
            console.MarkupLine($"  tend workflow resume {Markup.Escape(record.Run)}");
        }
    }

    private static string Colored(StepState state) => state switch
    {
        StepState.Succeeded => "[green]succeeded[/]",
        StepState.Failed => "[red]failed[/]",
        StepState.Paused => "[yellow]paused[/]",
        StepState.Running => "[blue]running[/]",
        _ => $"[grey]{state.Name()}[/]",
    };
}
