using Tend.Core.Model;
using System.Threading.Channels;
using Tend.Core.Events;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// The loop of one run: settle what can be decided (start, skip, omit), then wait for the next
/// message (a step ended, usage, a review, a stop) and apply it. One reader, so the decisions
/// need no lock of their own; steps write their attempts under the run's lock.
/// </summary>
internal sealed class Scheduler(RunState run, IReadOnlyDictionary<string, WhenExpression?> conditions, StepExecution execution, ReviewWatcher reviews, TimeProvider time) : IWhenContext
{
    private readonly List<Task> _executions = [];
    private string? _killedBecause;
    private string? _drainBecause;

    public string Directory => run.Workflow.Directory;

    public StepOutcome? OutcomeOf(string stepId) => run.StateOf(stepId).Outcome();

    public async Task RunAsync(ChannelReader<RunMessage> messages)
    {
        while (true)
        {
            Settle();
            if (!run.Steps.Values.Any(s => s.State == StepState.Running) && !AwaitingReview())
            {
                break;
            }

            Apply(await messages.ReadAsync());
            while (messages.TryRead(out var more))
            {
                Apply(more);
            }
        }

        await Task.WhenAll(_executions);
        EndLeftovers();
    }

    /// <summary>The run's outcome once the loop is over.</summary>
    public (RunOutcome Outcome, string? Reason) Outcome()
    {
        if (_killedBecause is not null)
        {
            return (RunOutcome.Stopped, _killedBecause);
        }

        if (_drainBecause is not null)
        {
            return (RunOutcome.Failed, _drainBecause);
        }

        var failed = run.Workflow.Steps.Select(s => run[s.Id]).FirstOrDefault(p => p.State is StepState.Failed or StepState.Paused && !p.Tolerated);
        return failed is null ? (RunOutcome.Succeeded, null) : (RunOutcome.Failed, $"step {failed.Step.Id} {failed.State.Name()}: {failed.Reason}");
    }

    // A paused step waits for a person, unless the run is stopping anyway: then the record keeps
    // it paused and `tend workflow resume` runs it again.
    private bool AwaitingReview() => _drainBecause is null && _killedBecause is null && run.Steps.Values.Any(s => s.State == StepState.Paused);

    private void Settle()
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var step in run.Workflow.Steps)
            {
                var progress = run[step.Id];
                if (progress.State != StepState.Pending)
                {
                    continue;
                }

                if (_killedBecause is not null || _drainBecause is not null)
                {
                    continue;
                }

                if (progress.Reason is { } parseError && conditions[step.Id] is null && step.When is not null)
                {
                    changed |= Fail(progress, parseError);
                    continue;
                }

                var (next, reason) = StepReadiness.Decide(step, run.StateOf, conditions[step.Id], this);
                switch (next)
                {
                    case Readiness.Skip:
                        SetState(progress, StepState.Skipped, reason);
                        run.Emit(EventKinds.Workflows.StepSkipped, new("step", step.Id), new("when", step.When));
                        changed = true;
                        break;
                    case Readiness.Omit:
                        Omit(progress, reason!);
                        changed = true;
                        break;
                    case Readiness.Fail:
                        changed |= Fail(progress, reason!);
                        break;
                    case Readiness.Start when Running() < Math.Max(1, run.Workflow.Policy.Parallel):
                        Start(progress);
                        break;
                }
            }
        }
    }

    private int Running() => run.Steps.Values.Count(s => s.State == StepState.Running);

    private void Start(StepProgress progress)
    {
        progress.Stop = new CancellationTokenSource();
        SetState(progress, StepState.Running, null);
        _executions.Add(Task.Run(() => execution.RunAsync(progress, progress.Stop.Token)));
    }

    private void Apply(RunMessage message)
    {
        switch (message)
        {
            case RunMessage.StepEnded ended:
                var progress = run[ended.StepId];
                progress.Stop?.Dispose();
                progress.Stop = null;
                if (ended.Succeeded)
                {
                    SetState(progress, StepState.Succeeded, progress.CachedFrom is { } from ? $"cached from {from}" : null);
                    run.Emit(EventKinds.Workflows.StepSucceeded, EventFields.Present(new EventField("step", ended.StepId), new("attempt", progress.Attempts.Count), EventFields.Ms("duration_ms", Took(progress)), progress.CachedFrom is { } cached ? new EventField("cached_from", cached) : null));
                }
                else
                {
                    Fail(progress, ended.Reason ?? "failed");
                }

                break;
            case RunMessage.UsageReported usage:
                Count(usage);
                break;
            case RunMessage.Reviewed { Decision: var decision } when run.Steps.TryGetValue(decision.Step, out var paused) && paused.State == StepState.Paused:
                if (decision.Approved)
                {
                    SetState(paused, StepState.Succeeded, $"approved after: {paused.Reason}");
                    run.Emit(EventKinds.Workflows.StepApproved, new EventField("step", decision.Step));
                }
                else
                {
                    var why = decision.Reason is { Length: > 0 } r ? $"rejected: {r}" : "rejected in review";
                    SetState(paused, StepState.Failed, why);
                    run.Emit(EventKinds.Workflows.StepRejected, EventFields.Present(new EventField("step", decision.Step), decision.Reason is null ? null : new EventField("reason", decision.Reason)));
                    _drainBecause ??= $"step {decision.Step} {why}";
                }

                break;
            case RunMessage.StopNow stop:
                Kill(stop.Reason);
                break;
        }
    }

    /// <returns>Whether the state changed.</returns>
    private bool Fail(StepProgress progress, string reason)
    {
        var step = progress.Step;
        run.Emit(EventKinds.Workflows.StepFailed, EventFields.Present(new EventField("step", step.Id), new("attempt", progress.Attempts.Count), new("reason", reason), progress.Attempts.LastOrDefault()?.ExitCode is { } code ? new EventField("exit_code", code) : null));
        if (_killedBecause is null && step.OnFail == OnFail.PauseForReview)
        {
            SetState(progress, StepState.Paused, reason);
            run.Emit(EventKinds.Workflows.StepPaused, new("step", step.Id), new("reason", reason));
            reviews.Check(step.Id);
            return true;
        }

        SetState(progress, StepState.Failed, reason);
        if (step.OnFail == OnFail.Continue)
        {
            progress.Tolerated = true;
        }
        else
        {
            _drainBecause ??= $"step {step.Id} failed: {reason}";
        }

        return true;
    }

    private void Omit(StepProgress progress, string reason)
    {
        SetState(progress, StepState.Omitted, reason);
        run.Emit(EventKinds.Workflows.StepOmitted, new("step", progress.Step.Id), new("reason", reason));
    }

    private void Count(RunMessage.UsageReported usage)
    {
        lock (run.Gate)
        {
            run[usage.StepId].Usage += usage.Usage;
            run.Usage += usage.Usage;
        }

        var policy = run.Workflow.Policy;
        if (policy.MaxTokens is { } maxTokens && run.Usage.Tokens > maxTokens)
        {
            Kill($"budget: {StepUsage.FormatTokens(run.Usage.Tokens)} tokens used, max_tokens {StepUsage.FormatTokens(maxTokens)}");
        }
        else if (policy.MaxCost is { } maxCost && run.Usage.Cost > maxCost)
        {
            Kill($"budget: cost {run.Usage.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)} used, max_cost {maxCost.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        run.SaveSoon();
    }

    /// <summary>Stops the run now: running steps are killed (their attempts fail with the reason), the rest is omitted.</summary>
    private void Kill(string reason)
    {
        if (_killedBecause is not null)
        {
            return;
        }

        _killedBecause = reason;
        foreach (var progress in run.Steps.Values)
        {
            progress.Stop?.Cancel();
        }
    }

    /// <summary>What never got its turn: pending steps are omitted with why.</summary>
    private void EndLeftovers()
    {
        var why = _killedBecause ?? _drainBecause;
        foreach (var step in run.Workflow.Steps)
        {
            var progress = run[step.Id];
            if (progress.State == StepState.Pending)
            {
                Omit(progress, why is null ? "it never became ready" : $"the run stopped before it ({why})");
            }
        }
    }

    private void SetState(StepProgress progress, StepState state, string? reason)
    {
        lock (run.Gate)
        {
            progress.State = state;
            progress.Reason = reason;
        }

        // A step's end must survive a crash (resume never reruns what succeeded); that it started need not.
        if (state is not (StepState.Running or StepState.Pending))
        {
            run.Save();
        }
        else
        {
            run.SaveSoon();
        }

        if (state != StepState.Running)
        {
            run.Request.Progress?.Invoke(new StepTransition(progress.Step.Id, state, progress.Attempts.Count, reason));
        }
    }

    private TimeSpan Took(StepProgress progress) =>
        progress.Attempts.Count > 0 ? (progress.Attempts[^1].Ended ?? time.GetUtcNow()) - progress.Attempts[0].Started : TimeSpan.Zero;
}
