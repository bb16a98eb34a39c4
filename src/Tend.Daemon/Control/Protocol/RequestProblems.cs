using Tend.Core.Processes;

namespace Tend.Daemon.Control.Protocol;

/// <summary>
/// What the daemon refuses in a request that parsed: the socket is a door of its own, and a
/// client other than tend's CLI (a script, a later face) is not held by the CLI's checks. A
/// refusal is the error <c>invalid_argument</c>, and nothing is done.
/// </summary>
public static class RequestProblems
{
    public const string Code = "invalid_argument";

    /// <summary>The first thing wrong with <paramref name="request"/>; null when it may be done.</summary>
    public static ControlError? Of(ControlRequest request) => request switch
    {
        UpRequest up => Components(up.Components) ?? MaxRounds(up.MaxRounds),
        StartRequest start => Components(start.Components) ?? MaxRounds(start.MaxRounds),
        DownRequest down => Components(down.Components),
        StopRequest stop => Components(stop.Components),
        RestartRequest restart => Components(restart.Components),
        KillRequest kill => Components(kill.Components) ?? Signal(kill.Signal),
        EventsRequest events => Last(events.Last) ?? (events.Kinds is null || events.Components is null ? Invalid("events needs `kinds` and `components` lists (empty for all)") : null),
        LogsRequest logs => Last(logs.Last) ?? (string.IsNullOrEmpty(logs.Component) ? Invalid("logs needs a `component`") : LogName(logs.Component))
            ?? (logs.Run is < 1 ? Invalid($"run must be at least 1, not {logs.Run}") : null),
        UpdateRequest update => string.IsNullOrEmpty(update.Component) ? Invalid("update needs a `component`")
            : update.To is not null && Core.Updates.VersionText.Problem(update.To) is { } bad ? Invalid(bad) : null,
        LogFilesRequest files => files.Components is null || files.Components.Any(string.IsNullOrEmpty) ? Invalid("log_files needs `components`: a list of component names (empty for all)") : files.Components.Select(LogName).FirstOrDefault(p => p is not null),
        RunWorkflowRequest run => RunWorkflow(run),
        StopWorkflowRequest stop => string.IsNullOrEmpty(stop.Run) ? Invalid("workflow_stop needs a `run`") : null,
        _ => null,
    };

    private static ControlError? RunWorkflow(RunWorkflowRequest run)
    {
        if (run.Inputs is null || run.Inputs.Any(i => string.IsNullOrEmpty(i.Key) || i.Value is null))
        {
            return Invalid("workflow_run needs `inputs`: an object of names to strings (empty for none)");
        }

        if (string.IsNullOrEmpty(run.Workflow) == string.IsNullOrEmpty(run.Resume))
        {
            return Invalid("workflow_run needs either a `workflow` (a name, or a YAML file's absolute path) or a `resume` (a run's id)");
        }

        // The daemon's working directory is not the client's: a relative path would name another file.
        return run.Workflow is { } workflow && Core.Workflows.WorkflowLoader.IsFile(workflow) && !Path.IsPathFullyQualified(workflow)
            ? Invalid($"'{workflow}' is relative: the daemon reads a workflow file by its absolute path")
            : null;
    }

    // A log's directory is made from the name: one that is no component's name (`../..`, `/etc`)
    // must not let a read-only client look at paths of the host, even with no stack to check it against.
    private static ControlError? LogName(string name) =>
        Core.Config.StackFileLoader.IsComponentName(name) ? null : Invalid($"'{name}' is not a component name", "letters, digits, '-', '_' and '.', starting with a letter or digit");

    // A request whose list is null would otherwise be a bug's stack trace in the daemon.
    private static ControlError? Components(IReadOnlyList<string>? names) =>
        names is null || names.Any(string.IsNullOrEmpty) ? Invalid("`components` must be a list of component names (empty for all)") : null;

    private static ControlError? MaxRounds(int? maxRounds) =>
        maxRounds is < 1 ? Invalid($"max_rounds must be at least 1, not {maxRounds}", "leave it out for no limit") : null;

    private static ControlError? Signal(int signal) =>
        Signals.IsValid(signal) ? null : Invalid($"{signal} is not a signal: a number from 1 to 64", $"by name: {string.Join(", ", Signals.ByName.Keys)}");

    private static ControlError? Last(int last) => last < 0 ? Invalid($"last must be 0 or more, not {last}") : null;

    private static ControlError Invalid(string message, string? hint = null) => new(Code, message, hint);
}
