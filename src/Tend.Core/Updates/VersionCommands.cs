using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Core.Updates;

/// <summary>A version as <c>current</c> printed it: the first word of its first line, and what follows as the digest.</summary>
public sealed record VersionReading(string Version, string? Digest);

/// <summary>How one of the update commands went: its answer, or why there is none.</summary>
public sealed record VersionCommandResult(bool Ok, string? Error, IReadOnlyList<string> OutputTail)
{
    public string Describe() => Ok ? "ok" : OutputTail.Count == 0 ? Error! : $"{Error}: {string.Join(" | ", OutputTail)}";
}

/// <summary>
/// Runs a component's <c>update</c> commands (set, current, versions) as the component would run:
/// in its directory, with its environment, without a shell, each with the spec's timeout. Used by
/// the daemon for an update and by the CLI for <c>tend versions</c> and <c>--dry-run</c>.
/// </summary>
public sealed class VersionCommands(Component component, StackFile stack, TimeProvider time)
{
    private const int TailLines = 5;

    private UpdateSpec Spec => component.Update ?? throw new InvalidOperationException($"{component.Name} has no update");

    /// <summary>The version in use, or why it cannot be told.</summary>
    public async Task<(VersionReading? Version, VersionCommandResult Result)> CurrentAsync(CancellationToken cancellationToken)
    {
        var (run, result) = await RunAsync(Spec.Current, cancellationToken);
        if (!result.Ok)
        {
            return (null, result);
        }

        if (ParseCurrent(run!.Output) is not { } reading)
        {
            return (null, new VersionCommandResult(false, "printed no version (its first line should hold it)", []));
        }

        return (reading, result);
    }

    /// <summary>The versions one could move to, oldest first; null when the component has no <c>versions</c> command.</summary>
    public async Task<(IReadOnlyList<string>? Versions, VersionCommandResult Result)> AvailableAsync(CancellationToken cancellationToken)
    {
        if (Spec.Versions is not { } argv)
        {
            return (null, new VersionCommandResult(true, null, []));
        }

        var (run, result) = await RunAsync(argv, cancellationToken);
        return result.Ok ? (ParseVersions(run!.Output), result) : (null, result);
    }

    /// <summary>Sets <paramref name="version"/>.</summary>
    public async Task<VersionCommandResult> SetAsync(string version, CancellationToken cancellationToken) =>
        (await RunAsync(Spec.SetTo(version), cancellationToken)).Result;

    public static VersionReading? ParseCurrent(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (line is null)
        {
            return null;
        }

        var words = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new VersionReading(words[0], words.Length > 1 ? words[1] : null);
    }

    public static IReadOnlyList<string> ParseVersions(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0]).Distinct(StringComparer.Ordinal)];

    private async Task<(CapturedRun? Run, VersionCommandResult Result)> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        var run = await CapturedRun.RunAsync(argv, component.WorkingDirectory, ChildEnvironment.For(component, stack), Spec.Timeout, time, replaceEnvironment: !component.EnvInherit.All, cancellationToken);
        var tail = Redactor.RedactLines(run.Output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(TailLines).ToList());
        var error = run.StartFailure is { } failure ? $"`{argv[0]}` could not start: {failure.Message}"
            : ExitStatus.Describe(run.ExitCode, run.TimedOut, Spec.Timeout) is { } ended ? $"`{argv[0]}`: {ended}"
            : null;
        return (run, new VersionCommandResult(error is null, error, tail));
    }
}
