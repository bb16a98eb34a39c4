using Tend.Core.Knowledge;
using Tend.Core.Processes;

namespace Tend.Core.Backup;

/// <summary>
/// The programs backups shell out to (pg_dump, pg_restore, redis-check-rdb, etcdctl, tar): found on
/// PATH or named with the package that installs them, run without a shell in a process group of
/// their own (killed whole on cancellation), their output kept for the diagnosis.
/// </summary>
public sealed class BackupTools(string workingDirectory, Func<string, string?> environment, TimeProvider time)
{
    /// <summary>A dump of a big database takes as long as it takes; this only bounds a tool that hangs for ever.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromHours(24);

    public TimeProvider Time { get; } = time;

    public Func<string, string?> Environment { get; } = environment;

    /// <summary>Why <paramref name="program"/> cannot be run, with the command that installs it; null when it is there.</summary>
    public BackupProblem? Missing(string program)
    {
        if (ExecutableLookup.Find(program, workingDirectory, Environment) is not null)
        {
            return null;
        }

        var install = PackageHints.InstallCommand(program, System.Environment.UserName == "root");
        return new BackupProblem(
            $"{program} is not installed",
            $"{program} was not found on PATH",
            install is null ? [$"install {program} and make sure it is on PATH"] : [$"install it: `{install}`"]);
    }

    public Task<CapturedRun> RunAsync(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? variables = null, CancellationToken cancellationToken = default) =>
        CapturedRun.RunAsync(argv, workingDirectory, variables, Longest, Time, cancellationToken);

    /// <summary>The first line a program prints for <c>--version</c> (or <paramref name="args"/>), for the manifest.</summary>
    public async Task<string?> VersionAsync(string program, string[]? args = null, CancellationToken cancellationToken = default)
    {
        var run = await CapturedRun.RunAsync([program, .. args ?? ["--version"]], workingDirectory, null, TimeSpan.FromSeconds(10), Time, cancellationToken);
        return run.Succeeded ? run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() : null;
    }

    /// <summary>What a tool that failed said, as a problem: killed by a signal, the disk full, or its own last lines.</summary>
    public static BackupProblem Failed(string what, string program, CapturedRun run, string? targetDirectory)
    {
        var output = LastLines(run.Output);
        if (run.StartFailure is { } start)
        {
            return new BackupProblem(what, $"{program} could not be started: {start.Message}", []);
        }

        if (ExitStatus.SignalOf(run.ExitCode) is { } signal)
        {
            return new BackupProblem(what, $"{program} was killed by signal {Signals.Name(signal)}{(output.Length > 0 ? $"; it said: {output}" : "")}", ["run the backup again; if something kills it (the OOM killer, a timeout), `dmesg | tail` may say what"]);
        }

        if (targetDirectory is not null && DiskSpace.IsFull(run.Output))
        {
            return DiskSpace.Problem(what, targetDirectory, $"{program} said: {output}");
        }

        return new BackupProblem(what, $"{program} exited with {run.ExitCode}{(output.Length > 0 ? $": {output}" : "")}", []);
    }

    /// <summary>The last few lines of a tool's output, on one line: its error is at the end.</summary>
    public static string LastLines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" / ", lines.TakeLast(3));
    }
}
