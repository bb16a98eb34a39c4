using Tend.Core.Knowledge;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Records;

/// <summary>One link of an omitted step's chain: a step it waited for, and how that one ended.</summary>
public sealed record OmissionLink(string Step, StepState State, string? Reason);

/// <summary>
/// Why a step of a run ended as it did, told from its record, its log and the knowledge base:
/// what <c>tend why RUN STEP</c> shows.
/// </summary>
/// <param name="Ending">How its last attempt's process ended ("exit code 3", "killed by SIGKILL"); null when none ran or it exited 0.</param>
/// <param name="Chain">For an omitted step, each step it waited for down to the root: the last link is the failure (or skip) that omitted them all. Empty otherwise.</param>
/// <param name="LogLines">The end of its last attempt's log, as written (the CLI masks secrets before it shows them).</param>
/// <param name="Next">Commands that work as typed, most useful first.</param>
public sealed record StepExplanation(
    string Run,
    string Workflow,
    string Step,
    StepState State,
    string? Reason,
    int Attempts,
    string? Ending,
    IReadOnlyList<OmissionLink> Chain,
    IReadOnlyList<string> LogLines,
    Diagnosis? Diagnosis,
    IReadOnlyList<string> Next)
{
    /// <summary>The step whose failure explains this one: itself, or the root of its chain.</summary>
    public string Root => Chain.Count > 0 ? Chain[^1].Step : Step;
}
