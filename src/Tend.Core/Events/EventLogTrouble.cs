namespace Tend.Core.Events;

/// <summary>Events an <see cref="EventLog"/> could not write: how many since when, and the last reason (a full disk, max_size).</summary>
public sealed record EventLogTrouble(DateTimeOffset Since, long Lost, string Reason);
