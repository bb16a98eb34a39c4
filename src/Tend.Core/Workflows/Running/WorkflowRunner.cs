using Tend.Core.Model;
using System.Threading.Channels;
using Tend.Core.Events;
using Tend.Core.Workflows.Conditions;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// Runs a workflow: starts each step once what it depends on (and what its condition reads) has
/// ended as it asks, up to <c>policy.parallel</c> at once, in the file's order among those
/// ready; reacts to each step's end (no polling), so a DAG takes about its critical path.
/// Decides skips and omissions, applies <c>on_fail</c>, the budgets and the run's timeout,
/// waits for reviews, and keeps run.json current (docs/workflows.md).
/// </summary>
public sealed class WorkflowRunner(IStepLauncher launcher, TimeProvider time)
{
    public async Task<RunRecord> RunAsync(WorkflowRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var run = new RunState(request, request.Resume?.Started ?? now, now);
        var messages = Channel.CreateUnbounded<RunMessage>(new UnboundedChannelOptions { SingleReader = true });
        var conditions = ParseConditions(request.Workflow, run);
        Directory.CreateDirectory(request.Directory.StepsDirectory);
        Directory.CreateDirectory(request.Directory.ReviewDirectory);
        Prepare(run, request.Resume);
        run.Save();
        run.Emit(EventKinds.Workflows.WorkflowStarted, EventFields.Present(new EventField("pid", Environment.ProcessId), new("steps", request.Workflow.Steps.Count), request.Resume is null ? null : new EventField("resumed_from", request.Resume.Run)));
        var started = time.GetTimestamp();

        using var reviews = new ReviewWatcher(request.Directory, decision => messages.Writer.TryWrite(new RunMessage.Reviewed(decision)));
        using var deadline = request.Workflow.Policy.Timeout is { } limit ? new CancellationTokenSource(Timers.Capped(limit), time) : new CancellationTokenSource();
        using var onDeadline = deadline.Token.Register(() => messages.Writer.TryWrite(new RunMessage.StopNow($"timeout: the run took longer than its policy.timeout of {Text.Quantities.FormatDuration(request.Workflow.Policy.Timeout!.Value)}")));
        using var onCancel = cancellationToken.Register(() => messages.Writer.TryWrite(new RunMessage.StopNow(request.StopReason?.Invoke() ?? "stopped: interrupted (Ctrl+C or SIGTERM)")));
        var scheduler = new Scheduler(run, conditions, new StepExecution(run, launcher, time, messages.Writer), reviews, time);
        (RunOutcome Outcome, string? Reason) end;
        try
        {
            await scheduler.RunAsync(messages.Reader);
            end = scheduler.Outcome();
        }
        catch (Exception e)
        {
            end = (RunOutcome.Failed, Abandon(run, e));
        }

        lock (run.Gate)
        {
            run.Ended = time.GetUtcNow();
            (run.Outcome, run.Reason) = end;
        }

        await run.SettledAsync();
        run.Save();
        run.Emit(EventKinds.Workflows.WorkflowFinished, EventFields.Present(new EventField("outcome", run.Outcome.Name()), run.Reason is null ? null : new EventField("reason", run.Reason), EventFields.Ms("duration_ms", time.GetElapsedTime(started)), new("tokens", run.Usage.Tokens)));
        return run.ToRecord();
    }

    /// <summary>
    /// A bug of tend's own broke the run's loop: its steps are killed and it ends failed with the
    /// reason, recorded and announced like any end, so nobody waits on a run nothing runs any more.
    /// </summary>
    /// <returns>The run's reason.</returns>
    private static string Abandon(RunState run, Exception fault)
    {
        var reason = $"tend failed while running it: {fault.GetType().Name}: {fault.Message}";
        lock (run.Gate)
        {
            foreach (var progress in run.Steps.Values)
            {
                try
                {
                    progress.Stop?.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // Its step ended meanwhile.
                }

                (progress.State, progress.Reason) = progress.State switch
                {
                    StepState.Running => (StepState.Failed, reason),
                    StepState.Pending => (StepState.Omitted, $"the run stopped before it ({reason})"),
                    _ => (progress.State, progress.Reason),
                };
            }
        }

        return reason;
    }

    /// <summary>A resumption keeps what succeeded or was skipped, and the passes before it; the rest starts again as pending, and old review answers go.</summary>
    private static void Prepare(RunState run, RunRecord? resume)
    {
        if (resume is null)
        {
            return;
        }

        foreach (var record in resume.Steps)
        {
            if (run.Steps.TryGetValue(record.Id, out var progress))
            {
                progress.Restore(record);
                if (!record.State.KeptOnResume())
                {
                    progress.State = StepState.Pending;
                    progress.Reason = null;
                    Persistence.FileCleanup.TryDelete(run.Directory.ReviewFile(record.Id));
                }
            }
        }

        run.Usage = run.UsageBefore = new StepUsage(resume.Tokens, resume.Cost);
        // A pass still "running" in the record had its runner go away: that is what resuming it means.
        run.EarlierPasses = [.. resume.AllPasses().Select(p => p.Outcome == RunOutcome.Running ? p with { Outcome = RunOutcome.Interrupted, Reason = p.Reason ?? "its runner went away" } : p)];
    }

    private static Dictionary<string, WhenExpression?> ParseConditions(Workflow workflow, RunState run)
    {
        var parsed = new Dictionary<string, WhenExpression?>(StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            if (step.When is null)
            {
                parsed[step.Id] = null;
                continue;
            }

            var (expression, error) = WhenExpression.Parse(step.When);
            parsed[step.Id] = expression;
            if (error is not null)
            {
                // verify reports this before a run; a run of an unverified file fails the step, not tend.
                run[step.Id].Reason = $"its when does not parse (column {error.Column}: {error.Message})";
            }
        }

        return parsed;
    }
}
