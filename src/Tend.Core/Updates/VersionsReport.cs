namespace Tend.Core.Updates;

/// <summary>`tend versions --json`: each updatable component's version in use, in tend.lock, and on offer.</summary>
public sealed record VersionsReport(int Schema, string Stack, bool Pinned, IReadOnlyList<ComponentVersions> Components)
{
    public const int CurrentSchema = 1;
}

/// <param name="Current">What its <c>current</c> command printed; null when it failed (see <paramref name="Error"/>).</param>
/// <param name="Locked">What tend.lock says; null when it says nothing of it.</param>
/// <param name="Available">What its <c>versions</c> command printed, oldest first; null without one.</param>
/// <param name="Drift">It runs another version than tend.lock says.</param>
public sealed record ComponentVersions(
    string Name,
    string? Current,
    string? CurrentDigest,
    string? Locked,
    string? LockedDigest,
    IReadOnlyList<string>? Available,
    bool Drift,
    string? Error);
