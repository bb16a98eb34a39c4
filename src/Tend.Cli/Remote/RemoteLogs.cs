using Tend.Daemon.Remote;
using Spectre.Console;
using Tend.Cli.Verbs;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Cli.Remote;

/// <summary>
/// `tend logs [COMP] [-n N] [-f] [--run N] [--runs] --host ALIAS`: what `tend logs` prints on the
/// host, its log directories and runs asked of the host's `tend api --stdio` (log_files), the
/// lines streamed from there, and the text made by the local verb's own code.
/// </summary>
internal static class RemoteLogs
{
    /// <param name="tolerance">How long a follow (-f) of one component retries a lost link.</param>
    public static async Task<int> RunAsync(CliContext cli, RemoteSession session, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        var name = cli.Parse.GetValue<string?>("component");
        var count = cli.Parse.GetValue<int>("-n");
        var follow = cli.Parse.GetValue<bool>("--follow");
        var run = cli.Parse.GetValue<int?>("--run");
        var listRuns = cli.Parse.GetValue<bool>("--runs");
        var suffix = $" --host {session.Link.Host}";
        if (name is null)
        {
            if (await FilesAsync(session, [], runs: false, cancellationToken) is not { } all)
            {
                return ExitCodes.Failed;
            }

            var names = all.Components.Select(c => c.Name).ToList();
            return run is not null || listRuns
                ? AllLogs.RefusePerRun(cli, names, suffix)
                : await AllLogs.ShowAsync(cli, new HostLogs(session, all.Stack, names, all.StateDirectory, suffix), count, follow, cancellationToken);
        }

        var console = cli.Terminal.Out;
        if (await FilesAsync(session, [name], runs: listRuns || run is not null, cancellationToken) is not { Components: [var files] })
        {
            // An older tend on the host streams a component's log all the same: only what needs log_files is lost.
            if (session.Failure?.Error?.Code == RemoteSession.UnknownToHost && !listRuns && run is null)
            {
                session.Forget();
                return await StreamAsync(cli, session, name, run, count, follow, tolerance, cancellationToken);
            }

            return ExitCodes.Failed;
        }

        if (!files.Ran)
        {
            // The host's path as it is: a path relative to a directory there means nothing here.
            console.MarkupLine(LogsVerb.NotRunYet(name, files.Directory));
            return ExitCodes.Ok;
        }

        if (listRuns)
        {
            foreach (var r in files.Runs)
            {
                console.MarkupLine(LogsVerb.RunLine(r.Run, r.Bytes, r.Files, r.FirstTime, r.LastTime, r.Current));
            }

            return ExitCodes.Ok;
        }

        if (run is { } chosen && files.Runs.All(r => r.Run != chosen))
        {
            return cli.UsageError($"{name} has no run {chosen} on disk", $"list them with tend logs {name} --runs{suffix}");
        }

        return await StreamAsync(cli, session, name, run, count, follow, tolerance, cancellationToken);
    }

    private static async Task<int> StreamAsync(CliContext cli, RemoteSession session, string name, int? run, int count, bool follow, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        if (follow)
        {
            return await FollowAsync(cli, session, name, run, count, tolerance, cancellationToken);
        }

        await foreach (var line in session.LogsAsync(name, run, count, follow: false, cancellationToken))
        {
            cli.Terminal.Out.MarkupLine(LogsVerb.Format(line, ""));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// `tend logs COMP -f --host`: the lines as they come, over this session and, when the link
    /// drops, over new ones (remote_blip, then remote_gave_up at the tolerance, as `events -f`);
    /// the lines asked for again after a drop join those shown at the last one's time, so the
    /// lines written during the outage are shown once.
    /// </summary>
    private static Task<int> FollowAsync(CliContext cli, RemoteSession first, string name, int? run, int count, TimeSpan tolerance, CancellationToken cancellationToken) =>
        RemoteStreamFollow.RunAsync<LogLine>(
            cli,
            first.Link.Host,
            tolerance,
            l => l.Time,
            (session, replay, token) => session.LogsAsync(name, run, replay ?? count, follow: true, token),
            line => cli.Terminal.Out.MarkupLine(LogsVerb.Format(line, "")),
            () => cli.Terminal.Out.MarkupLine($"[grey]… lines from while the link was down may be missing here (an earlier run's, or more than {FollowSeam<LogLine>.Replay}): tend logs {Markup.Escape(name)} --runs --host {Markup.Escape(first.Link.Host)} lists the runs[/]"),
            cancellationToken,
            first);

    /// <summary>The host's log directories; null (and the session's failure) when it did not answer.</summary>
    private static async Task<LogFilesResult?> FilesAsync(RemoteSession session, IReadOnlyList<string> components, bool runs, CancellationToken cancellationToken) =>
        (await session.CallAsync(new LogFilesRequest(components, runs), cancellationToken))?.LogFiles;

    /// <summary>The host's logs, for `tend logs --host` without a component.</summary>
    private sealed class HostLogs(RemoteSession session, string stack, IReadOnlyList<string> components, string stateDirectory, string suffix) : IStackLogs
    {
        public string Stack => stack;

        public IReadOnlyList<string> Components => components;

        public string Suffix => suffix;

        public string StateDirectory => stateDirectory;

        public async Task<IReadOnlyList<string>?> RanAsync(CancellationToken cancellationToken) =>
            session.Failure is null && await FilesAsync(session, [], runs: false, cancellationToken) is { } files
                ? [.. files.Components.Where(c => c.Ran).Select(c => c.Name)]
                : null;

        public IAsyncEnumerable<LogLine> LogsAsync(string component, int last, bool follow, CancellationToken cancellationToken) =>
            session.LogsAsync(component, null, last, follow, cancellationToken);
    }
}
