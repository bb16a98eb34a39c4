namespace Tend.Core.Workflows.Running;

/// <summary>One attempt of a step to start: its command as resolved, where its output goes, and its limit.</summary>
/// <param name="LogPath">The step's log; each attempt appends its own section.</param>
public sealed record StepLaunch(
    string StepId,
    int Attempt,
    IReadOnlyList<string> Argv,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    bool ReplaceEnvironment,
    TimeSpan? Timeout,
    string LogPath);

/// <summary>How an attempt ended, as the launcher saw it.</summary>
/// <param name="ExitCode">Null when it never started or a signal ended it.</param>
/// <param name="StartFailure">Why it could not start, in words.</param>
/// <param name="Killed">Why tend killed it (its timeout, a stop of the run), in words.</param>
public sealed record AttemptExit(int? Pid, int? ExitCode, int? Signal, string? StartFailure, string? Killed)
{
    public bool Succeeded => ExitCode == 0 && StartFailure is null && Killed is null;
}

/// <summary>
/// The seam between the scheduler and the processes: the CLI runs steps as children of its own
/// process today, a daemon can run them as its own later. Implementations never throw for a
/// step that fails; <paramref name="cancellationToken"/> kills the attempt (its whole group).
/// </summary>
public interface IStepLauncher
{
    Task<AttemptExit> RunAsync(StepLaunch launch, IStepOutput output, CancellationToken cancellationToken = default);
}

/// <summary>What the launcher tells the step's execution while the attempt runs.</summary>
public interface IStepOutput
{
    /// <summary>The process started, leading its own group.</summary>
    void Started(int pid);

    /// <summary>A line of its merged output, as it comes (usage reports, the classifier).</summary>
    void Line(string line);
}
