using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>Workflows built in code (the readers are another piece), run for real in a scratch directory.</summary>
internal static class Flow
{
    /// <summary>A step that runs <paramref name="script"/> with sh, in the workflow's directory.</summary>
    public static WorkflowStep Sh(string id, string script, params string[] dependsOn) =>
        new(id, null, new StepRun.Command(["sh", "-c", script]), ValueDictionary.Empty, [.. dependsOn.Select(d => new StepDependency(d, DependencyCondition.Succeeded))], null, RetryPolicy.None, null, OnFail.Stop, []);

    public static WorkflowStep AnyOf(this WorkflowStep step, params string[] ids) =>
        step with { DependsOn = [.. step.DependsOn.Where(d => !ids.Contains(d.StepId)), .. ids.Select(i => new StepDependency(i, DependencyCondition.Any))] };

    public static Workflow Of(TempDirectory dir, params WorkflowStep[] steps) =>
        new("flow", WorkflowFormat.Toml, Path.Combine(dir.Path, "tend.toml"), dir.Path, [.. steps], WorkflowPolicy.Default);

    public static async Task<(RunRecord Record, RunDirectory Directory, List<StepTransition> Seen)> RunAsync(TempDirectory dir, Workflow workflow, TimeProvider? time = null, Action<StepTransition>? onTransition = null, RunRecord? resume = null, RunDirectory? directory = null)
    {
        time ??= TimeProvider.System;
        var store = new RunStore(Path.Combine(dir.Path, ".tend"));
        directory ??= store.Create(workflow.Name, time.GetUtcNow());
        var seen = new List<StepTransition>();
        var request = new WorkflowRunRequest(workflow, null, new Dictionary<string, string>(), directory)
        {
            Resume = resume,
            Progress = t =>
            {
                lock (seen)
                {
                    seen.Add(t);
                }

                onTransition?.Invoke(t);
            },
        };
        var record = await new WorkflowRunner(new ProcessStepLauncher(time), time).RunAsync(request, TestContext.Current.CancellationToken);
        return (record, directory, seen);
    }

    public static StepState State(this RunRecord record, string id) => record.Find(id)!.State;
}
