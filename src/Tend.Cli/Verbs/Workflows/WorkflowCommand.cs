using System.CommandLine;

namespace Tend.Cli.Verbs.Workflows;

/// <summary><c>tend workflow ...</c>: running and the run records (the merge folds <c>verify</c> in).</summary>
internal static class WorkflowCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("workflow", "Run workflows (DAGs of steps) and read their runs");
        command.Subcommands.Add(WorkflowRunVerb.CreateRun(options));
        command.Subcommands.Add(WorkflowRunVerb.CreateResume(options));
        command.Subcommands.Add(WorkflowRecordVerbs.CreateLs(options));
        command.Subcommands.Add(WorkflowRecordVerbs.CreateShow(options));
        command.Subcommands.Add(WorkflowRecordVerbs.CreateLogs(options));
        command.Subcommands.Add(WorkflowRecordVerbs.CreateApprove(options));
        command.Subcommands.Add(WorkflowRecordVerbs.CreateReject(options));
        command.Subcommands.Add(WorkflowStatsVerb.Create(options));
        return command;
    }
}
