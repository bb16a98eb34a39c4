namespace Tend.Core.Processes;

/// <summary>What a started process reads on its standard input.</summary>
public enum StandardInput
{
    /// <summary>A pipe closed at once: the program reads end-of-file, never hangs on a read.</summary>
    Closed,

    /// <summary>A pipe left open for the caller to write (a round's prompt) and close.</summary>
    Pipe,

    /// <summary>tend's own (the terminal), for a command run in the foreground.</summary>
    Inherit,
}

/// <summary>A program to start, as a stack file gives it: argv[0] as written, looked up from the working directory and PATH.</summary>
public sealed record LaunchRequest(string Program, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    public StandardInput Input { get; init; } = StandardInput.Closed;

    /// <summary>
    /// The child gets <see cref="Environment"/> alone, none of tend's own environment: for a
    /// component with <c>env_inherit</c> false or an allow-list (see <c>ChildEnvironment</c>).
    /// </summary>
    public bool ReplaceEnvironment { get; init; }

    /// <summary>Pipe stdout and stderr to the caller; false leaves tend's own (the terminal).</summary>
    public bool CaptureOutput { get; init; } = true;

    /// <summary>
    /// The process gets SIGTERM when tend dies (a daemon SIGKILLed must leave no service behind).
    /// The kernel ties this to the thread that forked, so such starts go through the launcher's
    /// one long-lived thread.
    /// </summary>
    public bool DieWithParent { get; init; }

    /// <summary>
    /// A threaded cgroup (v2), child of the daemon's own, to start the process in (see
    /// <see cref="CgroupThreads"/>): all it ever forks is in there too. Such starts go through the
    /// launcher's thread. Null leaves it in tend's own cgroup.
    /// </summary>
    public string? Cgroup { get; init; }
}
