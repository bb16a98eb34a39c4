namespace Tend.Core.Backup;

/// <summary>Why a backup or a restore could not be done: what failed, the observed cause, and numbered actions. A value, never an exception.</summary>
public sealed record BackupProblem(string What, string Cause, params IReadOnlyList<string> Actions);

/// <summary>A value, or why there is none.</summary>
public sealed record Outcome<T>(T? Value, BackupProblem? Problem)
    where T : class
{
    public bool Succeeded => Problem is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(BackupProblem problem) => new(null, problem);
}
