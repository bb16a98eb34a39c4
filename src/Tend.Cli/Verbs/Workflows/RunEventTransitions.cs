using Tend.Core.Events;
using Tend.Core.Workflows.Running;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>
/// A daemon's run as the foreground shows it: its <c>step_*</c> events read back into the step
/// transitions the runner reports in-process, so both paths print the same lines. One instance
/// per run followed; it remembers what one event alone does not say (a paused step's reason, and
/// whether a failure turns into a pause for review).
/// </summary>
internal sealed class RunEventTransitions(string runId)
{
    private readonly Dictionary<string, string> _pausedBecause = new(StringComparer.Ordinal);
    private StepTransition? _failed;

    /// <summary>Whether <paramref name="record"/> ends the run followed.</summary>
    public bool Ends(EventRecord record) =>
        record.Kind == EventKinds.Workflows.WorkflowFinished.Name && Of(record);

    /// <summary>The transitions <paramref name="record"/> completes, in order (none for another run's event).</summary>
    public IReadOnlyList<StepTransition> Read(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Of(record))
        {
            return [];
        }

        // A failure of a step that pauses for review is told as the pause alone, as in the foreground.
        var held = _failed;
        _failed = null;
        var step = record.GetText("step");
        if (held is not null && record.Kind == EventKinds.Workflows.StepPaused.Name && step == held.StepId)
        {
            held = null;
        }

        var next = step is null ? null : Transition(record, step);
        if (next is { State: StepState.Failed } && record.Kind == EventKinds.Workflows.StepFailed.Name)
        {
            _failed = next;
            next = null;
        }

        return [.. new[] { held, next }.OfType<StepTransition>()];
    }

    /// <summary>What is still held back when the run ends (a failure with nothing after it).</summary>
    public IReadOnlyList<StepTransition> Flush()
    {
        var held = _failed;
        _failed = null;
        return held is null ? [] : [held];
    }

    private bool Of(EventRecord record) => record.GetText("run") == runId;

    private StepTransition? Transition(EventRecord record, string step)
    {
        var attempt = (int)(record.GetInteger("attempt") ?? 1);
        var reason = record.GetText("reason");
        var kind = record.Kind;
        if (kind == EventKinds.Workflows.StepStarted.Name)
        {
            return new StepTransition(step, StepState.Running, attempt, null);
        }

        if (kind == EventKinds.Workflows.StepRetrying.Name)
        {
            return new StepTransition(step, StepState.Running, attempt, reason) { RetryIn = TimeSpan.FromMilliseconds(record.GetInteger("delay_ms") ?? 0) };
        }

        if (kind == EventKinds.Workflows.StepSucceeded.Name)
        {
            // As the foreground narrates it (Scheduler): a cache hit says whose artifacts it took.
            return new StepTransition(step, StepState.Succeeded, attempt, record.GetText("cached_from") is { } from ? $"cached from {from}" : null);
        }

        if (kind == EventKinds.Workflows.StepFailed.Name)
        {
            return new StepTransition(step, StepState.Failed, attempt, reason);
        }

        if (kind == EventKinds.Workflows.StepPaused.Name)
        {
            _pausedBecause[step] = reason ?? "";
            return new StepTransition(step, StepState.Paused, attempt, reason);
        }

        if (kind == EventKinds.Workflows.StepSkipped.Name)
        {
            return new StepTransition(step, StepState.Skipped, 0, $"when {record.GetText("when")} was false");
        }

        if (kind == EventKinds.Workflows.StepOmitted.Name)
        {
            return new StepTransition(step, StepState.Omitted, 0, reason);
        }

        if (kind == EventKinds.Workflows.StepApproved.Name)
        {
            return new StepTransition(step, StepState.Succeeded, attempt, _pausedBecause.TryGetValue(step, out var why) ? $"approved after: {why}" : "approved");
        }

        if (kind == EventKinds.Workflows.StepRejected.Name)
        {
            return new StepTransition(step, StepState.Failed, attempt, reason is { Length: > 0 } r ? $"rejected: {r}" : "rejected in review");
        }

        return null;
    }
}
