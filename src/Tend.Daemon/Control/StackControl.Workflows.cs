using Tend.Core.Config;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Workflows;

namespace Tend.Daemon.Control;

/// <summary>Workflow runs through the daemon: started and resumed in the stack file as it is on disk (reloaded first), stopped by id, all stopped when the daemon goes down.</summary>
public sealed partial class StackControl
{
    /// <summary>The runs the daemon hosts.</summary>
    public WorkflowRuns Workflows { get; } = new(events, time);

    /// <summary>
    /// Starts a run of <paramref name="workflow"/> (a <c>[workflows.NAME]</c>, or a YAML file's
    /// absolute path), or resumes the run <paramref name="resume"/>, in the stack file as it is on
    /// disk when it is the one the client read (as for up). Answers once the run has begun.
    /// </summary>
    public async Task<ControlOutcome<WorkflowRunResult>> RunWorkflowAsync(string? workflow, IReadOnlyDictionary<string, string> inputs, string? files, string? resume, string? stackFile, CancellationToken cancellationToken = default)
    {
        var reload = await GatedAsync(() => ReloadIfChangedAsync(stackFile), cancellationToken);
        if (reload.Error is { } invalid)
        {
            return invalid;
        }

        // A reload compares what is supervised, and no workflow is: an edit of one alone leaves the
        // daemon's copy as it was. So they are read from the file as it is now, as a foreground run reads them.
        var stack = StackFileLoader.Load(Stack.Path).Stack ?? Stack;
        return resume is null ? Workflows.Start(workflow!, inputs, files, stack) : Workflows.Resume(resume, stack);
    }

    /// <summary>Stops a run the daemon hosts; answers once it has ended, with its record's outcome.</summary>
    public Task<ControlOutcome<WorkflowRunResult>> StopWorkflowAsync(string run, CancellationToken cancellationToken = default) =>
        Workflows.StopAsync(run, "stopped: tend workflow stop", Stack, cancellationToken);

    /// <summary>The daemon is going down (<paramref name="why"/>): every run is stopped with that reason recorded.</summary>
    public Task StopWorkflowsAsync(string why) => Workflows.StopAllAsync($"stopped: the daemon stopped ({why})");
}
