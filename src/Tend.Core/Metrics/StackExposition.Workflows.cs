using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;

namespace Tend.Core.Metrics;

/// <summary>
/// The families of workflows, from the run records under <c>STATE/workflows/</c> (cached by each
/// run.json's mtime). The workflow label takes the names of the workflows that have run here: a
/// set bounded by what the user declared and ran, not by the number of runs.
/// </summary>
public static partial class StackExposition
{
    private static void WriteWorkflows(ExpositionWriter writer, string stateDirectory)
    {
        var totals = WorkflowTotals.Of(RunRecordCache.Shared.Read(stateDirectory));
        WriteWorkflows(writer, totals);
    }

    /// <summary>The families of <paramref name="totals"/>; none when no workflow has run.</summary>
    public static void WriteWorkflows(ExpositionWriter writer, IReadOnlyList<WorkflowTotals> totals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(totals);
        if (totals.Count == 0)
        {
            return;
        }

        Family(writer, ExposedMetrics.WorkflowRuns);
        foreach (var workflow in totals)
        {
            // A counter of ends: a run still running is the gauge below, which goes down when it ends.
            for (var i = 0; i < StepStates.OutcomeNames.Count; i++)
            {
                if (i != (int)RunOutcome.Running)
                {
                    writer.Sample(ExposedMetrics.WorkflowRuns.Name, workflow.Outcomes[i], new Label("workflow", workflow.Workflow), new Label("outcome", StepStates.OutcomeNames[i]));
                }
            }
        }

        Family(writer, ExposedMetrics.WorkflowRunning);
        foreach (var workflow in totals)
        {
            writer.Sample(ExposedMetrics.WorkflowRunning.Name, workflow.Outcomes[(int)RunOutcome.Running], new Label("workflow", workflow.Workflow));
        }

        var ended = totals.Where(t => t.LastEnded is not null).ToList();
        if (ended.Count > 0)
        {
            Family(writer, ExposedMetrics.WorkflowLastDuration);
            foreach (var workflow in ended)
            {
                writer.Sample(ExposedMetrics.WorkflowLastDuration.Name, workflow.LastDurationSeconds!.Value, new Label("workflow", workflow.Workflow));
            }

            Family(writer, ExposedMetrics.WorkflowLastRun);
            foreach (var workflow in ended)
            {
                writer.Sample(ExposedMetrics.WorkflowLastRun.Name, Seconds(workflow.LastEnded!.Value), new Label("workflow", workflow.Workflow));
            }
        }

        Family(writer, ExposedMetrics.WorkflowRunDuration);
        foreach (var workflow in totals)
        {
            writer.Histogram(ExposedMetrics.WorkflowRunDuration.Name, WorkflowTotals.DurationBounds, workflow.Durations, workflow.DurationSum, new Label("workflow", workflow.Workflow));
        }

        Family(writer, ExposedMetrics.WorkflowTokens);
        foreach (var workflow in totals)
        {
            writer.Sample(ExposedMetrics.WorkflowTokens.Name, workflow.Tokens, new Label("workflow", workflow.Workflow));
        }

        Family(writer, ExposedMetrics.WorkflowArtifacts);
        foreach (var workflow in totals)
        {
            writer.Sample(ExposedMetrics.WorkflowArtifacts.Name, workflow.ArtifactsOk, new Label("workflow", workflow.Workflow), new Label("result", "ok"));
            writer.Sample(ExposedMetrics.WorkflowArtifacts.Name, workflow.ArtifactsFailed, new Label("workflow", workflow.Workflow), new Label("result", "failed"));
        }
    }
}
