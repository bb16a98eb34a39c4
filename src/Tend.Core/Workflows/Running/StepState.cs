using System.Text.Json.Serialization;
using Tend.Core.Text;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Workflows.Running;

/// <summary>Where a step of a run stands (docs/workflows.md, "States").</summary>
[JsonConverter(typeof(StepStateJson))]
public enum StepState
{
    /// <summary>Not started: waiting for what it depends on, or for a free slot.</summary>
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>Its <c>when</c> was false.</summary>
    Skipped,

    /// <summary>Never run: an upstream it needs did not succeed, or the run stopped before it.</summary>
    Omitted,

    /// <summary>It failed with <c>on_fail = "pause_for_review"</c> and waits for approve or reject.</summary>
    Paused,
}

/// <summary>How a run ended, or that it still runs.</summary>
[JsonConverter(typeof(RunOutcomeJson))]
public enum RunOutcome
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Stopped before its end: a budget, its timeout, Ctrl+C.</summary>
    Stopped,

    /// <summary>Its runner died (SIGKILL, a power cut) while it ran: <c>tend workflow resume</c> goes on with it.</summary>
    Interrupted,
}

public static class StepStates
{
    public static readonly IReadOnlyList<string> Names = ["pending", "running", "succeeded", "failed", "skipped", "omitted", "paused"];

    public static readonly IReadOnlyList<string> OutcomeNames = ["running", "succeeded", "failed", "stopped", "interrupted"];

    public static string Name(this StepState state) => Names[(int)state];

    public static string Name(this RunOutcome outcome) => OutcomeNames[(int)outcome];

    /// <summary>It ended and will not change in this run (paused waits for a person, so it has not).</summary>
    public static bool HasEnded(this StepState state) => state is StepState.Succeeded or StepState.Failed or StepState.Skipped or StepState.Omitted;

    /// <summary>What <c>steps.ID.outcome</c> reads; null while it has not ended.</summary>
    public static StepOutcome? Outcome(this StepState state) => state switch
    {
        StepState.Succeeded => StepOutcome.Succeeded,
        StepState.Failed => StepOutcome.Failed,
        StepState.Skipped => StepOutcome.Skipped,
        StepState.Omitted => StepOutcome.Omitted,
        _ => null,
    };

    /// <summary>What a resumed run keeps: a step that succeeded, or whose condition said not to run.</summary>
    public static bool KeptOnResume(this StepState state) => state is StepState.Succeeded or StepState.Skipped;
}

public sealed class StepStateJson() : NamedEnumJsonConverter<StepState>(StepStates.Names);

public sealed class RunOutcomeJson() : NamedEnumJsonConverter<RunOutcome>(StepStates.OutcomeNames);
