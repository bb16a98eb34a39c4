using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tend.Core.Text;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;

namespace Tend.Cli.Verbs.Workflows;

/// <summary><c>tend workflow stats [NAME] [--since DURATION]</c>: each workflow's KPIs against the runbook's targets, read from the run records (no daemon needed).</summary>
internal static class WorkflowStatsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var name = new Argument<string?>("workflow") { Description = "Only this workflow", Arity = ArgumentArity.ZeroOrOne };
        var since = new Option<string>("--since") { Description = "The window: runs that started this long ago or later (24h, 30m, 7d)", DefaultValueFactory = _ => "7d" };
        var command = new Command("stats", "KPIs of workflows over a window: success rate, completion time, artifact success, tokens, retries") { name, since };
        command.SetAction(parse => Stats(new CliContext(parse, options), parse.GetValue(name), parse.GetValue(since)!));
        return command;
    }

    private static int Stats(CliContext cli, string? workflow, string sinceText)
    {
        if (!Quantities.TryParseDuration(sinceText, out var window) || window <= TimeSpan.Zero)
        {
            return cli.UsageError($"--since '{sinceText}' is not a duration", "a number and a unit: --since 24h, --since 30m, --since 7d");
        }

        if (workflow is not null && (workflow.Length == 0 || workflow.IndexOfAny(['/', '\\']) >= 0 || workflow.StartsWith('.')))
        {
            return cli.UsageError($"'{workflow}' is not a workflow's name", "tend workflow ls shows the workflows that have run");
        }

        var store = WorkflowPlaces.Store(cli);
        var records = store.List(workflow).Select(RunStore.Read).OfType<RunRecord>().ToList();
        var names = workflow is null ? records.Select(r => r.Workflow).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : [workflow];
        var now = cli.Time.GetUtcNow();
        var stats = names.Select(n => WorkflowStatistics.Compute(n, records, now, window)).ToList();
        if (cli.Json)
        {
            CliContext.WriteJson(new WorkflowStatsDocument(WorkflowStatsDocument.Version, window.TotalSeconds, stats), WorkflowStatsJson.Default.WorkflowStatsDocument);
            return ExitCodes.Ok;
        }

        if (stats.Count == 0)
        {
            cli.Terminal.Out.MarkupLine($"No workflow has run here yet (no runs in {Markup.Escape(cli.Display(store.Root))}); stats start with a workflow's first run: tend workflow run takes a [[workflows]] name or a .yaml file.");
            return ExitCodes.Ok;
        }

        foreach (var s in stats)
        {
            Render(cli, s, records.Where(r => r.Workflow == s.Workflow).MaxBy(r => r.Started), sinceText);
        }

        return ExitCodes.Ok;
    }

    private static void Render(CliContext cli, WorkflowStats s, RunRecord? last, string sinceText)
    {
        var output = cli.Terminal.Out;
        if (s.Runs == 0)
        {
            var lastRun = last is null ? "it has never run here" : $"its last run was {last.Run}";
            output.MarkupLine($"[bold]{Markup.Escape(s.Workflow)}[/]: no runs in the last {Markup.Escape(sinceText)} ({Markup.Escape(lastRun)}). Run it with: {Markup.Escape(RunCommand(cli, s.Workflow, last))}");
            return;
        }

        var resumed = s.Resumptions switch { 0 => "", 1 => " (1 a resumption)", var n => $" ({n} resumptions)" };
        var counts = $"{s.Runs} runs{resumed}: {s.Succeeded} succeeded, {s.Failed} failed, {s.Stopped} stopped" +
            (s.Interrupted > 0 ? $", {s.Interrupted} interrupted" : "") + (s.Running > 0 ? $", {s.Running} running" : "");
        output.MarkupLine($"[bold]{Markup.Escape(s.Workflow)}[/] over the last {Markup.Escape(sinceText)}: {Markup.Escape(counts)}");
        var table = new Table().AddColumns("KPI", "value", "target", "verdict");
        foreach (var kpi in s.Kpis)
        {
            table.AddRow(Markup.Escape(Title(kpi.Name)), Markup.Escape(Value(kpi)), Markup.Escape(kpi.Target), Verdict(kpi.Verdict));
        }

        table.AddRow("completion median", Markup.Escape(Seconds(s.DurationMedianSeconds)), "", "");
        table.AddRow("succeeded runs median / p95", Markup.Escape($"{Seconds(s.SucceededDurationMedianSeconds)} / {Seconds(s.SucceededDurationP95Seconds)}"), "", "");
        table.AddRow("artifacts checked / failed", $"{s.ArtifactsChecked} / {s.ArtifactsFailed}", "", "");
        table.AddRow("tokens total / median per run", Markup.Escape($"{StepUsage.FormatTokens(s.Tokens)} / {(s.TokensMedianPerRun is { } t ? StepUsage.FormatTokens(t) : "-")}"), "", "");
        if (s.Cost > 0)
        {
            table.AddRow("cost total / median per run", Markup.Escape($"{s.Cost.ToString("0.####", CultureInfo.InvariantCulture)} / {s.CostMedianPerRun?.ToString("0.####", CultureInfo.InvariantCulture)}"), "", "");
        }

        table.AddRow("retries", s.Retries.ToString(CultureInfo.InvariantCulture), "", "");
        output.Write(table);
        if (s.FailingSteps.Count > 0)
        {
            output.MarkupLine("Steps failing most:");
            foreach (var step in s.FailingSteps)
            {
                output.MarkupLine($"  {Markup.Escape(step.Step)}: failed in {step.FailedRuns} run(s), {step.FailedAttempts} failed attempt(s)");
            }
        }

        output.WriteLine();
    }

    /// <summary>A workflow from a YAML file runs by its path (as recorded), one of the stack file by its name.</summary>
    private static string RunCommand(CliContext cli, string workflow, RunRecord? last) =>
        last is not null && (last.Source.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || last.Source.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            ? $"tend workflow run {cli.Display(last.Source)}"
            : $"tend workflow run {workflow}";

    private static string Title(string kpi) => kpi switch
    {
        WorkflowStatistics.Success => "success rate",
        WorkflowStatistics.Completion => "completion p95",
        _ => "artifact success",
    };

    private static string Value(Kpi kpi) => kpi.Value is not { } v ? "-" : kpi.Unit == "seconds" ? Seconds(v) : $"{v.ToString("0.#", CultureInfo.InvariantCulture)} %";

    private static string Seconds(double? seconds) => seconds is { } s ? Quantities.FormatDuration(TimeSpan.FromSeconds(s)) : "-";

    private static string Verdict(KpiVerdict verdict) => verdict switch
    {
        KpiVerdict.Met => "[green]met[/]",
        KpiVerdict.NotMet => "[red]not met[/]",
        _ => "[grey]no data[/]",
    };
}
