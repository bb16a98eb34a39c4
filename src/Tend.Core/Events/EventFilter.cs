namespace Tend.Core.Events;

/// <summary>
/// Which events a reader yields. Empty lists match everything. A kind pattern ending in
/// <c>_</c> or <c>*</c> is a prefix (<c>component_</c>, <c>probe_*</c>); any other is an exact name.
/// </summary>
public sealed record EventFilter
{
    public static EventFilter All { get; } = new();

    public IReadOnlyList<string> Kinds { get; init; } = [];

    public IReadOnlyList<string> Components { get; init; } = [];

    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    public bool Matches(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (Kinds.Count == 0 || Kinds.Any(pattern => KindMatches(pattern, record.Kind)))
            && (Components.Count == 0 || (record.Component is not null && Components.Contains(record.Component, StringComparer.Ordinal)))
            && (Since is null || record.Timestamp >= Since.Value)
            && (Until is null || record.Timestamp < Until.Value);
    }

    /// <summary>Whether the file of <paramref name="day"/> can hold a match: files hold the events of their UTC date only.</summary>
    public bool MayContain(DateOnly day) =>
        (Since is null || day >= DateOnly.FromDateTime(Since.Value.UtcDateTime))
        && (Until is null || day <= DateOnly.FromDateTime(Until.Value.UtcDateTime));

    internal static bool KindMatches(string pattern, string kind) => pattern switch
    {
        [.. var prefix, '*'] => kind.StartsWith(prefix, StringComparison.Ordinal),
        [.., '_'] => kind.StartsWith(pattern, StringComparison.Ordinal),
        _ => kind == pattern,
    };
}
