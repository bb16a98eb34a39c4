using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>What wakes the scheduler: it reacts to these, never polls.</summary>
internal abstract record RunMessage
{
    private RunMessage()
    {
    }

    /// <summary>A step's execution is over: it succeeded or failed for good.</summary>
    public sealed record StepEnded(string StepId, bool Succeeded, string? Reason) : RunMessage;

    /// <summary>A step reported usage (a line of its output, or its report file).</summary>
    public sealed record UsageReported(string StepId, StepUsage Usage) : RunMessage;

    public sealed record Reviewed(ReviewDecision Decision) : RunMessage;

    /// <summary>The run must stop now: running steps are killed, the rest omitted.</summary>
    public sealed record StopNow(string Reason) : RunMessage;
}
