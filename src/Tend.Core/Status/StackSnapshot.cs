namespace Tend.Core.Status;

/// <summary>The whole supervised stack at one moment; also what state.json holds.</summary>
/// <param name="Warnings">What the daemon cannot do right now though it keeps supervising (write state.json, write events); null when nothing.</param>
/// <param name="Stops">How the daemon stops runs (cgroups or process groups); null from a daemon before it told.</param>
public sealed record StackSnapshot(
    string Stack,
    string StackFile,
    int DaemonPid,
    long DaemonStartTicks,
    DateTimeOffset DaemonStartedAt,
    DateTimeOffset At,
    IReadOnlyList<ComponentSnapshot> Components,
    IReadOnlyList<DaemonWarning>? Warnings = null,
    StopsSnapshot? Stops = null)
{
    /// <summary>The host at the monitor's last sample; null before the first, and from older daemons.</summary>
    public Monitoring.HostSample? Host { get; init; }

    /// <summary>Firing alerts (oldest first), then recently resolved ones (newest first); null from older daemons.</summary>
    public IReadOnlyList<Monitoring.AlertRecord>? Alerts { get; init; }

    /// <summary>The systemd unit the daemon runs as; null when it does not (started by tend up), and from older daemons.</summary>
    public SystemdSnapshot? Systemd { get; init; }

    public ComponentSnapshot? Find(string name) => Components.FirstOrDefault(c => c.Name == name);
}
