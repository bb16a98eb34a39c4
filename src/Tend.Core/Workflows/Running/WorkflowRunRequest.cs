using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>A run to make: the workflow, the stack it runs in, its inputs, where its record goes.</summary>
/// <param name="Stack">The stack whose components' commands steps may run; null for a workflow without one.</param>
/// <param name="Inputs">The workflow's inputs with <c>--input</c> and <c>--files</c> applied.</param>
public sealed record WorkflowRunRequest(Workflow Workflow, StackFile? Stack, IReadOnlyDictionary<string, string> Inputs, RunDirectory Directory)
{
    /// <summary>The run this one goes on with: its succeeded and skipped steps are kept, the rest run again.</summary>
    public RunRecord? Resume { get; init; }

    /// <summary>Where the <c>workflow_*</c> and <c>step_*</c> events go (the stack's event log).</summary>
    public IEventSink? Events { get; init; }

    /// <summary>Each change of a step's state, as it happens (the CLI prints them).</summary>
    public Action<StepTransition>? Progress { get; init; }

    /// <summary>Why a cancellation of the run stops it, asked when it comes (a daemon knows who stopped it); null: an interruption of the foreground.</summary>
    public Func<string>? StopReason { get; init; }
}

/// <summary>A step changed state; <see cref="RetryIn"/> is set when an attempt failed and another follows after it.</summary>
public sealed record StepTransition(string StepId, StepState State, int Attempt, string? Reason)
{
    public TimeSpan? RetryIn { get; init; }
}
