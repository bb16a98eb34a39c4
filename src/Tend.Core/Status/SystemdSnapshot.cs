namespace Tend.Core.Status;

/// <summary>The daemon runs as a systemd service: which unit, under which manager (<c>user</c> or <c>system</c>).</summary>
public sealed record SystemdSnapshot(string Unit, string Mode)
{
    /// <summary>The systemctl command that shows the unit, as typed.</summary>
    public string StatusCommand => $"systemctl{(Mode == "user" ? " --user" : "")} status {Text.ShellWords.Quote(Unit)}";
}
