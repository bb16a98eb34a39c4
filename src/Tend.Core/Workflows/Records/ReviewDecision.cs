namespace Tend.Core.Workflows.Records;

/// <summary>
/// What <c>tend workflow approve</c> / <c>reject</c> leave in the run's directory
/// (<c>review/STEP.json</c>) for the runner to pick up, whichever process runs it.
/// </summary>
public sealed record ReviewDecision(string Step, bool Approved, string? Reason, DateTimeOffset At);
