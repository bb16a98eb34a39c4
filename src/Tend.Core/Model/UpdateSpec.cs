namespace Tend.Core.Model;

/// <summary>
/// How a component's version is changed (<c>update = { set, current, versions }</c>): commands
/// the user writes, since a version is whatever their deployment says it is (an image tag, a
/// <c>releases/current</c> symlink, a pinned pip or npm package).
/// </summary>
/// <param name="Set">Sets the version; every <c>{version}</c> in it is the version asked for.</param>
/// <param name="Current">Prints the version in use on its first line, optionally followed by a digest or checksum.</param>
/// <param name="Versions">Prints the versions one could move to, one per line, oldest first; null when there is no such list.</param>
/// <param name="Passes">The health gate: passing health checks in a row the new version must give within <paramref name="Window"/>.</param>
/// <param name="Window">How long the new version is watched: it must not crash or turn unhealthy in it.</param>
/// <param name="Timeout">How long each of the commands may take (an image pull is slow).</param>
public sealed record UpdateSpec(
    ValueList<string> Set,
    ValueList<string> Current,
    ValueList<string>? Versions,
    int Passes,
    TimeSpan Window,
    TimeSpan Timeout) : Located
{
    public const string Placeholder = "{version}";

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(60);

    public const int DefaultPasses = 3;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The set command for <paramref name="version"/>.</summary>
    public IReadOnlyList<string> SetTo(string version) => [.. Set.Select(word => word.Replace(Placeholder, version, StringComparison.Ordinal))];
}

/// <summary>Whether <c>tend update</c> may change versions (<c>[stack] updates</c>).</summary>
public enum UpdatesPolicy
{
    Allowed,

    /// <summary>The versions in tend.lock are the ones to run: every update is refused.</summary>
    Pinned,
}
