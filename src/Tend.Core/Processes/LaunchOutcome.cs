using System.Diagnostics;

namespace Tend.Core.Processes;

/// <summary>Why a program could not be started, as a value: the class (for events and diagnosis rules), the words, and the exit status a shell would give.</summary>
/// <param name="Transient">The system ran short (file descriptors, processes, memory): trying again later can work.</param>
public sealed record LaunchFailure(string ErrorClass, string Message, int ExitCode, bool Transient = false)
{
    public static LaunchFailure NotFound(string program, string workingDirectory) =>
        new("not_found", $"{program}: not found (looked in {workingDirectory} and on PATH)", ExitStatus.NotFound);

    public static LaunchFailure NotExecutable(string path) =>
        new("not_executable", $"{path}: not executable (chmod +x {path})", ExitStatus.CannotExecute);

    public static LaunchFailure BadWorkingDirectory(string directory) =>
        new("bad_cwd", $"working directory {directory} does not exist", ExitStatus.CannotExecute);
}

/// <summary>A started process, or why it could not be.</summary>
public abstract record LaunchOutcome
{
    private LaunchOutcome()
    {
    }

    /// <summary>The process leads its own session and process group: its PID is the group's id.</summary>
    public sealed record Started(Process Process) : LaunchOutcome
    {
        /// <summary>The cgroup it was born in, as asked (<see cref="LaunchRequest.Cgroup"/>); null when none was asked or the kernel refused the move (<see cref="CgroupProblem"/>).</summary>
        public string? Cgroup { get; init; }

        /// <summary>Why it was started outside the cgroup asked for.</summary>
        public string? CgroupProblem { get; init; }
    }

    /// <summary>Started by <see cref="DirectSpawn"/>: one exec, its own session, output on one pipe.</summary>
    public sealed record Spawned(SpawnedProcess Process) : LaunchOutcome;

    public sealed record Failed(LaunchFailure Failure) : LaunchOutcome;
}
