namespace Tend.Core.Knowledge;

/// <summary>The likely cause of a failure and numbered actions, with the exact commands to type.</summary>
public sealed record Diagnosis(string RuleId, string Cause, IReadOnlyList<string> Actions);

/// <summary>What a rule is matched against: a failed check, or a command that exited badly.</summary>
public sealed record DiagnosisSubject(
    string Check,
    string? ErrorClass,
    string? Component,
    string Text,
    int? ExitCode,
    IReadOnlyDictionary<string, string> Data);
