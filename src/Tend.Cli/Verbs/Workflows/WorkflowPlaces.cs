using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>Where a workflow's runs are kept and its events go: the stack's state directory, or <c>.tend</c> beside a YAML workflow without a stack.</summary>
internal static class WorkflowPlaces
{
    /// <summary>The stack file when there is one that loads; workflows in YAML run without one.</summary>
    public static StackFile? QuietStack(CliContext cli)
    {
        var path = StackFileLocator.Find(cli.FileOption, cli.WorkingDirectory);
        return path is null ? null : StackFileLoader.Load(path).Stack;
    }

    public static string StateDirectory(Workflow workflow, StackFile? stack) =>
        stack?.StateDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(workflow.Source)) ?? ".", ".tend");

    /// <summary>For the verbs that read runs: the stack's state directory, else <c>.tend</c> here.</summary>
    public static RunStore Store(CliContext cli) =>
        new(QuietStack(cli)?.StateDirectory ?? Path.Combine(cli.WorkingDirectory, ".tend"));

    public static EventHub Events(string stateDirectory, TimeProvider time) =>
        new(new EventLog(Path.Combine(stateDirectory, "events"), time), time);
}
