using Tend.Cli.Verbs;
using Tend.Core.Config;
using Tend.Core.Doctor;
using Tend.Core.Model;
using Tend.Daemon;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Cli.Remote;

/// <summary>
/// What `tend api --stdio` answers itself, with the code the local verbs use, because only the
/// host can: its log directories, its checks, a daemon started there.
/// </summary>
internal static class HostAnswers
{
    /// <summary>The log directories (and runs) of <paramref name="request"/>'s components, or of every component that runs.</summary>
    /// <remarks>Every component of a stack file that does not load is not known: that is said, not "none has run".</remarks>
    public static async Task<(LogFilesResult? Result, ControlError? Error)> LogFilesAsync(StackFile stack, DaemonPaths paths, LogFilesRequest request, CancellationToken cancellationToken)
    {
        if (request.Components.Count == 0 && stack.Components.Count == 0 && Load(stack).Error is { } invalid)
        {
            return (null, invalid);
        }

        var names = request.Components.Count > 0
            ? request.Components
            : [.. stack.Components.Where(c => c.Kind != ComponentKind.External).Select(c => c.Name)];
        var components = new List<ComponentLogFiles>();
        foreach (var name in names)
        {
            var directory = paths.ComponentLogs(name);
            var ran = Directory.Exists(directory);
            IReadOnlyList<LogRunReply> runs = ran && request.Runs
                ? [.. (await new ComponentLogs(directory).RunsAsync(cancellationToken)).Select(r => new LogRunReply(r.Run, r.Bytes, r.Files.Count, r.FirstTime, r.LastTime, r.IsCurrent))]
                : [];
            components.Add(new ComponentLogFiles(name, directory, ran, runs));
        }

        return (new LogFilesResult(stack.Name, paths.StateDirectory, components), null);
    }

    /// <summary>The stack's diagnosis made here, as `tend doctor` makes it: from the stack file as it is now, which must load.</summary>
    public static async Task<(DoctorResult? Result, ControlError? Error)> DoctorAsync(StackFile stack, DaemonConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        var (loaded, error) = Load(stack);
        if (loaded is null)
        {
            return (null, error);
        }

        var (report, duration) = await DoctorVerb.ExamineAsync(loaded, connection, time, cancellationToken);
        return (new DoctorResult(DoctorReportJson.Of(report, duration)), null);
    }

    /// <summary>
    /// `tend start` with no daemon on the host starts one there first, as it does locally (from a
    /// stack file that loads: a broken one starts nothing); an error when it cannot.
    /// </summary>
    public static async Task<ControlError?> EnsureDaemonAsync(StackFile stack, DaemonConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await connection.ClientAsync(cancellationToken) is not null)
        {
            return null;
        }

        if (Load(stack).Error is { } invalid)
        {
            return invalid;
        }

        return await connection.EnsureRunningAsync(time, cancellationToken) is { } failure
            ? new ControlError("daemon_failed", failure)
            : null;
    }

    /// <summary>The stack file read afresh, as the verbs that start or check things read it; the error naming its first problem when it does not load.</summary>
    private static (StackFile? Stack, ControlError? Error) Load(StackFile stack)
    {
        var result = StackFileLoader.Load(stack.Path, displayPath: stack.Path);
        if (result.Succeeded && result.Stack is { } loaded)
        {
            return (loaded, null);
        }

        var errors = result.Errors.ToList();
        var first = errors.Count > 0 ? errors[0].ToString() : "it does not load";
        var more = errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "";
        return (null, new ControlError("stack_file_invalid", $"{stack.Path} has {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was done: {first}{more}", $"fix it on the host (tend validate -f {Core.Text.ShellWords.Quote(stack.Path)} there lists every error)"));
    }
}
