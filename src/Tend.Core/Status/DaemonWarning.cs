namespace Tend.Core.Status;

/// <summary>
/// Something the daemon cannot do right now while it goes on supervising from memory: write
/// <c>state.json</c> (<see cref="State"/>) or the event files (<see cref="Events"/>), mostly
/// because the disk is full. Every face shows it; it goes when the writing works again.
/// </summary>
/// <param name="Area">What cannot be written: <see cref="State"/> or <see cref="Events"/>.</param>
/// <param name="Message">Why, in words, with what the daemon does about it.</param>
/// <param name="Since">When it began.</param>
public sealed record DaemonWarning(string Area, string Message, DateTimeOffset Since)
{
    public const string State = "state";
    public const string Events = "events";
}
