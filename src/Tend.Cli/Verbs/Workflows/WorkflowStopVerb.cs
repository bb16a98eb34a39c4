using System.CommandLine;
using Spectre.Console;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>
/// <c>tend workflow stop RUN</c>: the daemon stops a run it hosts (its steps' process groups get
/// TERM, then KILL after the grace) and records why; a run of a foreground <c>tend workflow run</c>
/// is said to be that process's to stop.
/// </summary>
internal static class WorkflowStopVerb
{
    public static Command Create(GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "The run's id, or a unique prefix of it" };
        var command = new Command("stop", "Stop a workflow run that goes on in the daemon: its running steps are killed, the rest omitted; tend workflow resume goes on with it later") { run };
        command.SetAction((parse, token) => StopAsync(new CliContext(parse, options), parse.GetValue(run)!, token));
        return command;
    }

    private static async Task<int> StopAsync(CliContext cli, string runId, CancellationToken cancellationToken)
    {
        var lookup = WorkflowPlaces.Store(cli).Find(runId);
        if (lookup.Found is not { } directory || RunStore.Read(directory) is not { } record)
        {
            return cli.UsageError(lookup.Problem ?? $"{runId}: run.json cannot be read", lookup.Candidates.Count > 0 ? $"runs: {string.Join(", ", lookup.Candidates)}" : "tend workflow ls lists the runs");
        }

        var console = cli.Terminal.Out;
        if (record.Outcome != RunOutcome.Running && cli.Json)
        {
            CliContext.WriteJson(record, RunRecordJson.Default.RunRecord);
            return ExitCodes.Ok;
        }

        if (record.Outcome != RunOutcome.Running)
        {
            console.MarkupLine($"Run {Markup.Escape(record.Run)} is {Markup.Escape(record.Outcome.Name())} already: nothing to stop.{(record.Reason is null ? "" : $" [grey]({Markup.Escape(record.Reason)})[/]")}");
            return ExitCodes.Ok;
        }

        // Whose run it is comes from its runner's pid against the daemon's (RunOwner), not from
        // whether a daemon answers. A stack file that does not parse must not hide the daemon: its
        // own view of the stack reaches it.
        var stack = cli.LoadStackForControl();
        await using var daemon = stack is null ? null : new DaemonConnection(stack);
        var owner = RunOwner.Of(record, daemon?.DaemonPid());
        if (owner.Kind == RunOwnerKind.Foreground)
        {
            var (problem, hint) = owner.NotTheDaemons();
            return cli.Failure(problem, hint);
        }

        if (daemon is null || await daemon.ClientAsync(cancellationToken) is null)
        {
            return cli.Failure($"run {record.Run} runs in the daemon (pid {owner.Pid}), which does not answer", $"see {cli.Display(daemon!.Paths.DaemonLog)}; tend daemon status");
        }

        var reply = await daemon.CallAsync(new StopWorkflowRequest(record.Run), cancellationToken, Timeout.InfiniteTimeSpan);
        if (reply?.WorkflowRun is not { } stopped)
        {
            return reply?.Error is { } error ? cli.DaemonError(error) : cli.Failure("the daemon went away before it answered", $"see {cli.Display(daemon.Paths.DaemonLog)}");
        }

        if (RunStore.Read(directory) is { } ended)
        {
            WorkflowRunView.RenderEnd(cli, ended);
        }
        else
        {
            console.MarkupLine($"Run {Markup.Escape(stopped.Run)} {Markup.Escape(stopped.Outcome)}{(stopped.Reason is null ? "" : $": {Markup.Escape(stopped.Reason)}")}");
        }

        return ExitCodes.Ok;
    }
}
