using System.Runtime.InteropServices;
using System.Threading.Channels;
using Spectre.Console;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>
/// <c>tend workflow run</c> and <c>resume</c> when the stack's daemon is up: the daemon runs it (so
/// it outlives the terminal), and this follows its events as the foreground would print them, then
/// renders its run.json. <c>--detach</c> only starts it; Ctrl+C stops following, not the run.
/// </summary>
internal static class WorkflowDaemonRun
{
    private static readonly IReadOnlyList<string> Kinds = [.. EventKinds.Workflows.All.Select(k => k.Name)];

    /// <param name="request">What to run (or resume), as the daemon takes it.</param>
    public static async Task<int> RunAsync(CliContext cli, DaemonConnection connection, RunWorkflowRequest request, bool detach, CancellationToken cancellationToken)
    {
        var console = cli.Terminal.Out;
        var client = (await connection.ClientAsync(cancellationToken))!;

        // Ctrl+C ends the watch, not the run: the daemon's run goes on whoever watches it.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = detach ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            watching.Cancel();
        });

        // Followed from before the request, so that no step of the run is missed; the daemon opens
        // a connection's requests in order, so the subscription is in place when the run begins.
        var events = Channel.CreateUnbounded<EventRecord>(new UnboundedChannelOptions { SingleReader = true });
        using var following = CancellationTokenSource.CreateLinkedTokenSource(watching.Token);
        var follower = detach ? Task.CompletedTask : FollowAsync(client, events.Writer, following.Token);
        var reply = await connection.CallAsync(request, cancellationToken, Timeout.InfiniteTimeSpan);
        if (reply?.WorkflowRun is not { } run)
        {
            await following.CancelAsync();
            await follower;
            return reply?.Error is { } error ? cli.DaemonError(error) : cli.Failure("the daemon went away before it answered", $"see {cli.Display(connection.Paths.DaemonLog)}");
        }

        if (detach && cli.Json)
        {
            CliContext.WriteJson(new DetachedRunJson(run.Run, run.Workflow, run.Directory, run.Pid), WorkflowJson.Default.DetachedRunJson);
            return ExitCodes.Ok;
        }

        if (!cli.Json)
        {
            var steps = RunStore.Read(new RunDirectory(run.Directory))?.Steps.Count ?? 0;
            console.MarkupLine($"[bold]{(request.Resume is null ? "Running" : "Resuming")} workflow {Markup.Escape(run.Workflow)}[/] [grey](run {Markup.Escape(run.Run)}, {steps} steps, in the daemon, pid {run.Pid})[/]");
        }

        if (detach)
        {
            console.MarkupLine($"[green]✓[/] run {Markup.Escape(run.Run)} goes on in the background; it outlives this terminal.");
            Next(console, run.Run);
            return ExitCodes.Ok;
        }

        var finished = false;
        try
        {
            finished = await ShowAsync(cli.Json ? null : console, new RunEventTransitions(run.Run), events.Reader, watching.Token);
        }
        catch (OperationCanceledException) when (watching.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (cli.Json)
            {
                // The run as it stands: it goes on in the daemon.
                if (RunStore.Read(new RunDirectory(run.Directory)) is { } standing)
                {
                    CliContext.WriteJson(standing, RunRecordJson.Default.RunRecord);
                }

                return ExitCodes.Interrupted;
            }

            console.WriteLine();
            console.MarkupLine($"[grey]stopped following; run {Markup.Escape(run.Run)} goes on in the daemon (pid {run.Pid}).[/]");
            Next(console, run.Run);
            return ExitCodes.Interrupted;
        }
        finally
        {
            await following.CancelAsync();
            await follower;
        }

        var record = RunStore.Read(new RunDirectory(run.Directory));
        if (record is null)
        {
            return cli.Failure($"{run.Directory}/run.json cannot be read", $"tend workflow show {run.Run}");
        }

        WorkflowRunView.RenderEnd(cli, record, finished ? null : $"[red]The daemon (pid {run.Pid}) went away in the middle of the run.[/] [grey]tend up starts it again; then tend workflow resume {Markup.Escape(run.Run)} goes on with what did not succeed.[/]");
        return record.Outcome == RunOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Prints each step's transition as it comes; true when the run finished, false when the daemon went away first.</summary>
    /// <param name="console">Where the transitions go; null (--json) to only wait for the run's end.</param>
    private static async Task<bool> ShowAsync(IAnsiConsole? console, RunEventTransitions transitions, ChannelReader<EventRecord> events, CancellationToken cancellationToken)
    {
        await foreach (var record in events.ReadAllAsync(cancellationToken))
        {
            foreach (var transition in transitions.Read(record))
            {
                console?.MarkupLine(WorkflowRunView.Transition(transition));
            }

            if (transitions.Ends(record))
            {
                foreach (var transition in transitions.Flush())
                {
                    console?.MarkupLine(WorkflowRunView.Transition(transition));
                }

                return true;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }

    private static async Task FollowAsync(Daemon.Control.ControlClient client, ChannelWriter<EventRecord> events, CancellationToken cancellationToken)
    {
        // The stream ends when the daemon goes: the reader then knows the run did not finish here.
        await EventFollower.FollowAsync(client, Kinds, [], e => events.TryWrite(e), cancellationToken);
        events.TryComplete();
    }

    private static void Next(IAnsiConsole console, string run)
    {
        console.MarkupLine("[bold]Next:[/]");
        console.MarkupLine($"  tend workflow show {Markup.Escape(run)}");
        console.MarkupLine("  tend events -f");
        console.MarkupLine($"  tend workflow stop {Markup.Escape(run)}");
    }
}
