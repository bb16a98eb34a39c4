namespace Tend.Daemon.Logs;

/// <summary>
/// One run as <c>tend logs --runs</c> lists it: its files still on disk (early parts of a long
/// run may be gone to retention) and the time of its first and last line still kept.
/// </summary>
public sealed record RunLogInfo(int Run, IReadOnlyList<RunLogFile> Files, DateTimeOffset? FirstTime, DateTimeOffset? LastTime, bool IsCurrent)
{
    public long Bytes => Files.Sum(f => f.Bytes);
}
