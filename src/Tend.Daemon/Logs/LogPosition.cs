namespace Tend.Daemon.Logs;

/// <summary>
/// A place in a component's log to follow from: the byte offset just after the last line
/// read in a file. A null file means no log existed yet: follow from the first file to appear.
/// </summary>
public sealed record LogPosition(string? File, long Offset);
