namespace Tend.Daemon;

/// <summary>
/// Where a stack's daemon keeps its state: <c>.tend/</c> beside the stack file unless configured.
/// The directory is private to the user (0700): the control socket inside it is the only door.
/// </summary>
public sealed record DaemonPaths(string StateDirectory)
{
    public string Socket => Path.Combine(StateDirectory, "daemon.sock");

    public string Lock => Path.Combine(StateDirectory, "daemon.lock");

    public string PidFile => Path.Combine(StateDirectory, "daemon.pid");

    public string DaemonLog => Path.Combine(StateDirectory, "daemon.log");

    public string State => Path.Combine(StateDirectory, "state.json");

    /// <summary>The stack file as the daemon last took it (see <see cref="StackCopy"/>).</summary>
    public string StackCopy => Path.Combine(StateDirectory, "stack.last.toml");

    public string Logs => Path.Combine(StateDirectory, "logs");

    public string Events => Path.Combine(StateDirectory, "events");

    public string ComponentLogs(string component) => Path.Combine(Logs, component);
}
