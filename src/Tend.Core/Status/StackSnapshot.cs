namespace Tend.Core.Status;

/// <summary>The whole supervised stack at one moment; also what state.json holds.</summary>
public sealed record StackSnapshot(
    string Stack,
    string StackFile,
    int DaemonPid,
    long DaemonStartTicks,
    DateTimeOffset DaemonStartedAt,
    DateTimeOffset At,
    IReadOnlyList<ComponentSnapshot> Components)
{
    public ComponentSnapshot? Find(string name) => Components.FirstOrDefault(c => c.Name == name);
}
