namespace Tend.Daemon.Logs;

/// <summary>The last lines of a run, oldest first, and where to follow on from without a gap or a repeat.</summary>
public sealed record LogTail(int? Run, IReadOnlyList<LogLine> Lines, LogPosition End);
