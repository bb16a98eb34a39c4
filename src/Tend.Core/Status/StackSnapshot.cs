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
    public ComponentSnapshot? Find(string name) => Components.FirstOrDefault(c => c.Name == name);
}
