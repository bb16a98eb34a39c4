using System.CommandLine;
using Spectre.Console;
using Tend.Core.Text;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Cli.Verbs.Workflows;

/// <summary><c>tend workflow ls | show | logs | approve | reject</c>: the run records, read from the state directory.</summary>
internal static class WorkflowRecordVerbs
{
    public static Command CreateLs(GlobalOptions options)
    {
        var name = new Argument<string?>("workflow") { Description = "Only the runs of this workflow", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ls", "List recent workflow runs, newest first") { name };
        command.SetAction(parse => Ls(new CliContext(parse, options), parse.GetValue(name)));
        return command;
    }

    public static Command CreateShow(GlobalOptions options)
    {
        var run = RunArgument();
        var command = new Command("show", "Show a run: its steps, reasons and artifacts") { run };
        command.SetAction(parse => Show(new CliContext(parse, options), parse.GetValue(run)!));
        return command;
    }

    public static Command CreateLogs(GlobalOptions options)
    {
        var run = RunArgument();
        var step = new Argument<string>("step") { Description = "The step's id" };
        var command = new Command("logs", "Print a step's log (every attempt)") { run, step };
        command.SetAction(parse => Logs(new CliContext(parse, options), parse.GetValue(run)!, parse.GetValue(step)!));
        return command;
    }

    public static Command CreateApprove(GlobalOptions options)
    {
        var run = RunArgument();
        var step = new Argument<string>("step") { Description = "The paused step" };
        var command = new Command("approve", "Approve a step paused for review: it counts as succeeded") { run, step };
        command.SetAction(parse => Decide(new CliContext(parse, options), parse.GetValue(run)!, parse.GetValue(step)!, true, null));
        return command;
    }

    public static Command CreateReject(GlobalOptions options)
    {
        var run = RunArgument();
        var step = new Argument<string>("step") { Description = "The paused step" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var command = new Command("reject", "Reject a step paused for review: it fails and the run stops") { run, step, reason };
        command.SetAction(parse => Decide(new CliContext(parse, options), parse.GetValue(run)!, parse.GetValue(step)!, false, parse.GetValue(reason)));
        return command;
    }

    private static Argument<string> RunArgument() => new("run") { Description = "The run's id, or a unique prefix of it" };

    private static int Ls(CliContext cli, string? workflow)
    {
        var store = WorkflowPlaces.Store(cli);
        var runs = store.List(workflow).Take(20).Select(RunStore.Read).OfType<RunRecord>().ToList();
        if (cli.Json)
        {
            CliContext.WriteJson<IReadOnlyList<RunRecord>>(runs, RunRecordJson.Default.IReadOnlyListRunRecord);
            return ExitCodes.Ok;
        }

        if (runs.Count == 0)
        {
            cli.Terminal.Out.MarkupLine($"No workflow runs in {Markup.Escape(cli.Display(store.Root))} yet: `tend workflow run` with a workflow's name or file starts one.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("run", "workflow", "outcome", "started", "duration", "tokens");
        foreach (var r in runs)
        {
            table.AddRow(Markup.Escape(r.Run), Markup.Escape(r.Workflow), r.Outcome.Name(), r.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), r.Ended is { } e ? Quantities.FormatDuration(e - r.Started) : "", r.Tokens == 0 ? "" : StepUsage.FormatTokens(r.Tokens));
        }

        cli.Terminal.Out.Write(table);
        return ExitCodes.Ok;
    }

    private static int Show(CliContext cli, string runId)
    {
        if (Find(cli, runId) is not { } found)
        {
            return ExitCodes.Usage;
        }

        var (_, record) = found;
        if (cli.Json)
        {
            CliContext.WriteJson(record, RunRecordJson.Default.RunRecord);
            return ExitCodes.Ok;
        }

        WorkflowRunView.RenderTable(cli.Terminal.Out, record);
        foreach (var step in record.Steps.Where(s => s.Artifacts.Count > 0))
        {
            cli.Terminal.Out.MarkupLine($"  {Markup.Escape(step.Id)} artifacts: {Markup.Escape(string.Join(", ", step.Artifacts.Select(a => $"{a.Path} ({Quantities.FormatSize(a.Bytes)})")))}");
        }

        if (record.AllPasses() is { Count: > 1 } passes)
        {
            // A resumed run: each pass as it ended, which the run's one outcome no longer says.
            cli.Terminal.Out.MarkupLine($"  passes: {Markup.Escape(string.Join("; ", passes.Select(WorkflowRunView.Pass)))}");
        }

        WorkflowRunView.RenderNext(cli.Terminal.Out, record);
        return ExitCodes.Ok;
    }

    private static int Logs(CliContext cli, string runId, string stepId)
    {
        if (Find(cli, runId) is not { } found)
        {
            return ExitCodes.Usage;
        }

        var (directory, record) = found;
        if (record.Find(stepId) is null)
        {
            return cli.UsageError($"run {record.Run} has no step '{stepId}'", DidYouMean.Hint(stepId, record.Steps.Select(s => s.Id)) ?? $"steps: {string.Join(", ", record.Steps.Select(s => s.Id))}");
        }

        var log = directory.LogFile(stepId);
        if (!File.Exists(log))
        {
            cli.Terminal.Out.MarkupLine($"Step {Markup.Escape(stepId)} has no log: it never ran ({record.Find(stepId)!.State.Name()}).");
            return ExitCodes.Ok;
        }

        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Console.Out.Write(reader.ReadToEnd());
        return ExitCodes.Ok;
    }

    private static int Decide(CliContext cli, string runId, string stepId, bool approve, string? reason)
    {
        if (Find(cli, runId) is not { } found)
        {
            return ExitCodes.Usage;
        }

        var (directory, record) = found;
        if (record.Find(stepId) is not { } step)
        {
            return cli.UsageError($"run {record.Run} has no step '{stepId}'", DidYouMean.Hint(stepId, record.Steps.Select(s => s.Id)) ?? $"steps: {string.Join(", ", record.Steps.Select(s => s.Id))}");
        }

        if (step.State != StepState.Paused)
        {
            return cli.UsageError($"step {stepId} of run {record.Run} is {step.State.Name()}, not paused for review", $"tend workflow show {record.Run}");
        }

        if (record.Outcome != RunOutcome.Running)
        {
            return cli.UsageError($"run {record.Run} is {record.Outcome.Name()}: nothing waits for this review", $"tend workflow resume {record.Run} runs step {stepId} again");
        }

        RunStore.WriteDecision(directory, new ReviewDecision(stepId, approve, reason, cli.Time.GetUtcNow()));
        cli.Terminal.Out.MarkupLine($"{(approve ? "Approved" : "Rejected")} step {Markup.Escape(stepId)} of run {Markup.Escape(record.Run)}; its runner (pid {record.RunnerPid}) goes on.");
        return ExitCodes.Ok;
    }

    private static (RunDirectory Directory, RunRecord Record)? Find(CliContext cli, string runId)
    {
        var lookup = WorkflowPlaces.Store(cli).Find(runId);
        if (lookup.Found is not { } directory)
        {
            cli.UsageError(lookup.Problem!, lookup.Candidates.Count > 0 ? $"runs: {string.Join(", ", lookup.Candidates)}" : "tend workflow ls lists the runs");
            return null;
        }

        if (RunStore.Read(directory) is not { } record)
        {
            cli.Failure($"{directory.RunFile} cannot be read", "it may be being written; try again");
            return null;
        }

        return (directory, record);
    }
}
